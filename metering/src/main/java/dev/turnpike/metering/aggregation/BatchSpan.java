package dev.turnpike.metering.aggregation;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

/**
 * The span of one poll's commit (docs/tracing.md): from the first partition's transaction to the
 * last one's answer, with the events read, the partitions, and what the transactions counted. A
 * partition read again after a retryable failure is counted in {@code retried}; a fatal failure
 * marks the span as an error. Without a collector {@link #NONE} records nothing.
 */
class BatchSpan {
  static final AttributeKey<Long> EVENTS = AttributeKey.longKey("turnpike.metering.events");
  static final AttributeKey<Long> PARTITIONS = AttributeKey.longKey("turnpike.metering.partitions");
  static final AttributeKey<Long> COUNTED = AttributeKey.longKey("turnpike.metering.counted");
  static final AttributeKey<Long> DUPLICATES = AttributeKey.longKey("turnpike.metering.duplicates");
  static final AttributeKey<Long> RETRIED =
      AttributeKey.longKey("turnpike.metering.partitions_retried");
  static final AttributeKey<String> GROUP = AttributeKey.stringKey("messaging.consumer.group.name");

  static final BatchSpan NONE = new BatchSpan(null);

  private final Span span;
  private long counted;
  private long duplicates;
  private long retried;

  private BatchSpan(Span span) {
    this.span = span;
  }

  /** The span of a poll of {@code events} records over {@code partitions}; NONE without tracer. */
  static BatchSpan start(Tracer tracer, String group, int events, int partitions) {
    if (tracer == null) {
      return NONE;
    }
    return new BatchSpan(
        tracer
            .spanBuilder("commit usage batch")
            .setSpanKind(SpanKind.CONSUMER)
            .setAttribute(GROUP, group)
            .setAttribute(EVENTS, (long) events)
            .setAttribute(PARTITIONS, (long) partitions)
            .startSpan());
  }

  void committed(CommitResult result) {
    counted += result.counted();
    duplicates += result.duplicates();
  }

  void retried() {
    retried++;
  }

  void end(RuntimeException fatal) {
    if (span == null) {
      return;
    }
    span.setAttribute(COUNTED, counted)
        .setAttribute(DUPLICATES, duplicates)
        .setAttribute(RETRIED, retried);
    if (fatal != null) {
      span.setStatus(StatusCode.ERROR, fatal.getClass().getSimpleName());
    }
    span.end();
  }
}
