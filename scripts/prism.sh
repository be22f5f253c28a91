#!/usr/bin/env bash
# Makes sure the Prism mock server (@stoplight/prism-cli, pinned below) is installed, for the tests that validate the
# library's Twilio requests against Twilio's own OpenAPI descriptions (sms-twilio-flex). Installs it with npm when the
# `prism` command is missing or another version; prints the path of the command on success.
#
#   ./scripts/prism.sh            # installs when needed, prints e.g. /usr/bin/prism
#
# The tests find it on PATH, or through SMS_TEST_PRISM; under CI=true they fail rather than skip when it is missing.
set -euo pipefail
VERSION=5.14.2

log() { echo "prism.sh: $*" >&2; }

installed_version() {
  command -v prism >/dev/null 2>&1 && prism --version 2>/dev/null | tr -d '[:space:]'
}

if [[ "$(installed_version || true)" != "$VERSION" ]]; then
  command -v npm >/dev/null 2>&1 || { log "npm is missing: install Node.js (Debian: apt-get install nodejs npm)"; exit 1; }
  log "installing @stoplight/prism-cli@$VERSION with npm"
  npm install --global --no-audit --no-fund "@stoplight/prism-cli@$VERSION" >&2
  [[ "$(installed_version || true)" == "$VERSION" ]] || { log "prism $VERSION is still not on PATH after npm install"; exit 1; }
fi
command -v prism
