#!/usr/bin/env bash
# X1 (docs/reliability.md): the whole test suite with every logger at DEBUG (org.jsmpp, software.amazon.awssdk,
# io.netty,
# org.apache.http, com.twilio and java.util.logging included), one log file per module (<module>/target/log-hygiene.log),
# then a check of those logs for the secrets the tests use (plain, base64, hex) and for full test phone numbers
# (E.164, URL-encoded, hex). The DEBUG set-up is the root pom's log-hygiene profile (-Plog-hygiene).
#
#   scripts/log-hygiene.sh [mvn args]   runs ./scripts/test-all.sh -Plog-hygiene (test failures do not stop it), then
#                                       checks; e.g. X1_EXPECT=org.jsmpp scripts/log-hygiene.sh -pl sms-smpp -am
#   scripts/log-hygiene.sh --clean      deletes the logs of an earlier run (the logs are appended to)
#   scripts/log-hygiene.sh --check      only checks the logs left by a -Plog-hygiene run (what .ci/run does after its
#                                       one test run)
# X1_EXPECT (comma-separated logger prefixes) names the logger families that must have logged at DEBUG, or the check
# fails: a run that did not reach them proves nothing about them. A partial run sets it to what it covers, or to
# nothing (X1_EXPECT=).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

clean() {
  find . -path '*/target/log-hygiene*.log' -delete
}

check() {
  mapfile -t logs < <(find . -path '*/target/log-hygiene*.log' | sort)
  if [[ ${#logs[@]} -eq 0 ]]; then
    echo "no log-hygiene.log found: run the tests with -Plog-hygiene first" >&2
    exit 2
  fi
  local expect="${X1_EXPECT-dev.smsgateway,org.jsmpp,software.amazon.awssdk,org.apache.hc.client5}"
  java "$repo/scripts/LogHygieneCheck.java" "$repo" ${expect:+--expect "$expect"} "${logs[@]}"
}

case "${1:-}" in
  --clean)
    clean
    ;;
  --check)
    check
    ;;
  *)
    clean
    start=$(date +%s)
    set +e
    ./scripts/test-all.sh -Plog-hygiene -Dmaven.test.failure.ignore=true "$@" > target-log-hygiene-mvn.log 2>&1
    rc=$?
    set -e
    echo "mvn exit $rc after $(( $(date +%s) - start )) s (test failures are ignored here; see target-log-hygiene-mvn.log)"
    check
    ;;
esac
