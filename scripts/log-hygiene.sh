#!/usr/bin/env bash
# X1 (RELIABILITY.md): the whole test suite with every logger at DEBUG (org.jsmpp, software.amazon.awssdk, io.netty,
# org.apache.http, com.twilio and java.util.logging included), one log file per module (<module>/target/log-hygiene.log),
# then a check of those logs for the secrets the tests use (plain, base64, hex) and for full test phone numbers
# (E.164, URL-encoded, hex).
#
#   scripts/log-hygiene.sh [mvn args]   runs ./scripts/test-all.sh at DEBUG (test failures do not stop it), then checks;
#                                       e.g. scripts/log-hygiene.sh -pl sms-twilio -am
#   eval "$(scripts/log-hygiene.sh --env)"
#                                       deletes old logs and exports what makes any later mvn run log at DEBUG; pass
#                                       -Plog-hygiene to that mvn run. This is how .ci/run checks its one test run.
#   scripts/log-hygiene.sh --check      only checks the logs left by such a run
# X1_EXPECT (comma-separated logger prefixes) names the families that must have logged at DEBUG; a partial run sets it
# to what it covers (X1_EXPECT=org.jsmpp scripts/log-hygiene.sh -pl sms-smpp -am) or to nothing (X1_EXPECT=).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
cd "$repo"

env_lines() {
  find . -path '*/target/log-hygiene.log' -delete
  # JAVA_TOOL_OPTIONS reaches every forked test JVM, also those whose pom sets its own surefire argLine, and any JVM
  # a test starts. The Maven JVM reads it too; it only uses the logback file if it has logback (it has not).
  printf 'export JAVA_TOOL_OPTIONS=%q\n' "-Dlogback.configurationFile=$repo/.ci/logback-debug.xml \
-Djava.util.logging.config.file=$repo/.ci/jul-debug.properties ${JAVA_TOOL_OPTIONS:-}"
}

check() {
  mapfile -t logs < <(find . -path '*/target/log-hygiene.log' | sort)
  if [[ ${#logs[@]} -eq 0 ]]; then
    echo "no log-hygiene.log found: run the tests with the environment of 'scripts/log-hygiene.sh --env' first" >&2
    exit 2
  fi
  # The logger families that must have logged at DEBUG, or the run proves nothing about them (a partial run, e.g.
  # -pl sms-smpp, sets X1_EXPECT to what it covers, or to nothing).
  local expect="${X1_EXPECT-dev.smsgateway,org.jsmpp,software.amazon.awssdk,io.netty,org.apache.http}"
  java "$repo/scripts/LogHygieneCheck.java" "$repo" ${expect:+--expect "$expect"} "${logs[@]}"
}

case "${1:-}" in
  --env)
    env_lines
    ;;
  --check)
    check
    ;;
  *)
    eval "$(env_lines)"
    start=$(date +%s)
    set +e
    ./scripts/test-all.sh -Plog-hygiene -Dmaven.test.failure.ignore=true "$@" > target-log-hygiene-mvn.log 2>&1
    rc=$?
    set -e
    unset JAVA_TOOL_OPTIONS
    echo "mvn exit $rc after $(( $(date +%s) - start )) s (test failures are ignored here; see target-log-hygiene-mvn.log)"
    check
    ;;
esac
