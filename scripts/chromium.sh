#!/usr/bin/env bash
# Makes sure headless Chromium and its WebDriver are installed (Debian's chromium and chromium-driver packages), for
# the console's browser tests (sms-console ConsoleBrowserTest). Installs them with apt-get when missing (as root);
# prints nothing on stdout, so it can run before anything else.
#
#   ./scripts/chromium.sh          # installs when missing; exit 0 when both binaries are there
#
# The tests look for /usr/bin/chromium and /usr/bin/chromedriver (or SMS_TEST_CHROMIUM / SMS_TEST_CHROMEDRIVER); under
# CI=true they fail rather than skip when either is missing.
set -euo pipefail

log() { echo "chromium.sh: $*" >&2; }

CHROMIUM="${SMS_TEST_CHROMIUM:-/usr/bin/chromium}"
CHROMEDRIVER="${SMS_TEST_CHROMEDRIVER:-/usr/bin/chromedriver}"

if [[ -x "$CHROMIUM" && -x "$CHROMEDRIVER" ]]; then
  exit 0
fi
if [[ "$(id -u)" != 0 ]]; then
  log "Chromium or chromedriver is missing and this is not root: install the 'chromium' and 'chromium-driver' packages"
  exit 1
fi
log "installing the chromium and chromium-driver packages"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium chromium-driver >&2
[[ -x "$CHROMIUM" && -x "$CHROMEDRIVER" ]] || { log "installed, but $CHROMIUM or $CHROMEDRIVER is still missing"; exit 1; }
log "installed: $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
