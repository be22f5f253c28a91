#!/usr/bin/env bash
# Store benchmarks (docs/sms-store-jdbc.md, docs/sms-store-dynamodb.md):
#  1. put/find ops/s of the H2, PostgreSQL and DynamoDB Local originator stores vs the in-memory store, interleaved
#     rounds in one run (PostgreSQL only when SMS_TEST_POSTGRES_URL is set: eval "$(scripts/postgres.sh start)");
#  2. heap per in-memory originator record at 1M records, in a JVM limited to 250 MB of heap, then again beside a
#     naive ConcurrentHashMap<String, OriginatorRecord> in 1 GB (the naive map alone needs about 240 MB).
# Extra arguments go to both JVMs, e.g. -Drecords=20000 -Drounds=7.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl sms-benchmarks -am package -DskipTests -Dmdep.outputFile=target/classpath.txt dependency:build-classpath
CP="sms-benchmarks/target/classes:$(cat sms-benchmarks/target/classpath.txt)"
export DDB_LOCAL_TELEMETRY=0
java -cp "$CP" "$@" dev.smsgateway.benchmarks.store.StoreThroughputBenchmark
echo
java -Xmx250m -XX:+UseSerialGC -cp "$CP" "$@" dev.smsgateway.benchmarks.store.OriginatorMemoryBenchmark
echo
java -Xmx1g -XX:+UseSerialGC -cp "$CP" "$@" dev.smsgateway.benchmarks.store.OriginatorMemoryBenchmark
