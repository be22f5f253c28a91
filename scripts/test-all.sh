#!/usr/bin/env bash
# Runs every test of every module. This is the README's "all tests" command and what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp verify "$@"
