#!/usr/bin/env bash
# Conversation events benchmark (docs/sms-routing.md, "Events across instances"): events/s and publish-to-listener
# p50/p99 on PostgreSQL across two instances vs the in-memory bus, alternating rounds in one run. Needs a PostgreSQL
# server: eval "$(scripts/postgres.sh start)". Extra arguments go to the JVM, e.g. -Devents=5000 -Drounds=7.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl sms-benchmarks -am package -DskipTests -Dmdep.outputFile=target/classpath.txt dependency:build-classpath
CP="sms-benchmarks/target/classes:$(cat sms-benchmarks/target/classpath.txt)"
java -cp "$CP" "$@" dev.smsgateway.benchmarks.events.EventBusBenchmark
