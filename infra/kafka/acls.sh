#!/bin/sh
# Gives each Turnpike service its Kafka ACLs, as listed in acls.txt beside this script (acls.md
# explains them), with Kafka's own kafka-acls.sh.
#
#   infra/kafka/acls.sh print    the kafka-acls.sh commands, one per line, to read or run yourself
#   infra/kafka/acls.sh apply    runs them
#
# Environment:
#   KAFKA_BOOTSTRAP_SERVER     a broker's host:port                         [localhost:9092]
#   KAFKA_COMMAND_CONFIG       client properties of a user allowed to alter ACLs (its SASL/TLS
#                              settings); unset on a broker without authentication
#   KAFKA_ACLS                 the kafka-acls.sh to run                      [kafka-acls.sh]
#   KAFKA_PRINCIPAL_GATEWAY         the gateway nodes' principal        [User:turnpike-gateway]
#   KAFKA_PRINCIPAL_CONTROL_PLANE   the control plane's principal       [User:turnpike-control-plane]
#   KAFKA_PRINCIPAL_METERING        metering's principal                [User:turnpike-metering]
#
# The principal is what the broker calls a client after it logged in: User:<SASL user name>, or
# the TLS certificate's subject under mutual TLS (see the broker's ssl.principal.mapping.rules).
# A service run with another consumer group (TURNPIKE_METERING_GROUP) or topic names needs
# acls.txt edited to match.
set -eu

here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
mode=${1:-}
case "$mode" in
  print | apply) ;;
  *)
    echo "usage: $0 print|apply" >&2
    exit 2
    ;;
esac

bootstrap=${KAFKA_BOOTSTRAP_SERVER:-localhost:9092}
acls=${KAFKA_ACLS:-kafka-acls.sh}

principal() {
  case "$1" in
    gateway) echo "${KAFKA_PRINCIPAL_GATEWAY:-User:turnpike-gateway}" ;;
    control-plane) echo "${KAFKA_PRINCIPAL_CONTROL_PLANE:-User:turnpike-control-plane}" ;;
    metering) echo "${KAFKA_PRINCIPAL_METERING:-User:turnpike-metering}" ;;
    *)
      echo "acls.txt names an unknown service '$1'" >&2
      exit 1
      ;;
  esac
}

resource() {
  case "$1" in
    topic) echo "--topic" ;;
    group) echo "--group" ;;
    transactional-id) echo "--transactional-id" ;;
    *)
      echo "acls.txt names an unknown resource type '$1'" >&2
      exit 1
      ;;
  esac
}

grep -v '^[[:space:]]*\(#\|$\)' "$here/acls.txt" |
  while read -r service operation type pattern name; do
    who=$(principal "$service")
    what=$(resource "$type")
    set -- "$acls" --bootstrap-server "$bootstrap"
    if [ -n "${KAFKA_COMMAND_CONFIG:-}" ]; then
      set -- "$@" --command-config "$KAFKA_COMMAND_CONFIG"
    fi
    set -- "$@" --add --allow-principal "$who" --operation "$operation" \
      "$what" "$name" --resource-pattern-type "$pattern"
    if [ "$mode" = print ]; then
      echo "$*"
    else
      "$@"
    fi
  done
