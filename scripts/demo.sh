#!/usr/bin/env bash
# Builds what the demo needs and runs it on embedded defaults: an in-process SMSC, H2 files in ./data/demo.
# Options are passed on: --reset starts from empty stores, --data DIR keeps them elsewhere.
# --console runs the interactive demo instead: the agent console and a customer phone page on localhost (it prints the
# URLs and sign-in tokens; --port N and --phone-port N choose the ports, 8080 and 8081 by default; Ctrl-C stops it).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -ntp -pl examples -am package -DskipTests
if [[ "${1:-}" == "--console" ]]; then
  exec java -jar examples/target/sms-gateway-examples.jar console-demo "${@:2}"
fi
exec java -jar examples/target/sms-gateway-examples.jar demo "$@"
