#!/usr/bin/env bash
# Runs a Kafka main class on the jars under /opt/kafka/libs (as Kafka's own kafka-run-class.sh does).
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} -Dlog4j2.configurationFile=/opt/kafka/config/log4j2.properties \
  -cp "/opt/kafka/libs/*" "$@"
