#!/usr/bin/env bash
# Builds what the demo needs and runs it on embedded defaults: an in-process SMSC, H2 files in ./data/demo.
# Options are passed on: --reset starts from empty stores, --data DIR keeps them elsewhere.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl examples -am package -DskipTests
exec java -jar examples/target/sms-gateway-examples.jar demo "$@"
