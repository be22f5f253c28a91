#!/usr/bin/env bash
# X1 (RELIABILITY.md): runs the whole test suite once with every logger at DEBUG (org.jsmpp, software.amazon.awssdk,
# org.apache.http and com.twilio included), one log file per module (<module>/target/log-hygiene.log), then checks the
# logs for the secrets the tests use (plain, base64, hex) and for full test phone numbers (plain, URL-encoded, hex).
# Usage: scripts/log-hygiene.sh [extra mvn args, e.g. -pl sms-smpp -am]    (check only: scripts/log-hygiene.sh --check)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"
if [[ "${1:-}" != "--check" ]]; then
  find . -path '*/target/log-hygiene.log' -delete
  # JAVA_TOOL_OPTIONS reaches every forked test JVM, also those whose pom sets its own surefire argLine.
  export JAVA_TOOL_OPTIONS="-Dlogback.configurationFile=$repo/.ci/logback-debug.xml ${JAVA_TOOL_OPTIONS:-}"
  set +e
  mvn -B verify -Dmaven.test.failure.ignore=true "$@" > target-log-hygiene-mvn.log 2>&1
  echo "mvn exit $? (test failures are ignored here; see target-log-hygiene-mvn.log)"
  set -e
  unset JAVA_TOOL_OPTIONS
fi
mapfile -t logs < <(find . -path '*/target/log-hygiene.log' | sort)
if [[ ${#logs[@]} -eq 0 ]]; then
  echo "no log-hygiene.log found" >&2
  exit 2
fi
java "$repo/scripts/LogHygieneCheck.java" "$repo" "${logs[@]}"
