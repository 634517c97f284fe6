#!/usr/bin/env bash
# The browser tests drive Debian's chromium through playwright-core (never a browser download:
# this network reaches Debian's archive and npm only). Installs it when missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
echo "e2e: /usr/bin/chromium is missing; installing Debian's chromium" >&2
SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
test -x /usr/bin/chromium
