package dev.turnpike.controlplane.alarm.impl;

/**
 * An alarm's metric as read for one round: a value, or why there is none (the alarm then goes to
 * {@code insufficient_data} with that reason in its history).
 */
record AlarmReading(double value, String problem) {
  static AlarmReading of(double value) {
    return new AlarmReading(value, null);
  }

  static AlarmReading insufficient(String problem) {
    return new AlarmReading(
        Double.NaN, problem.length() > 300 ? problem.substring(0, 300) : problem);
  }

  boolean readable() {
    return problem == null;
  }
}
