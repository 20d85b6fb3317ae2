#!/usr/bin/env bash
# Prepares the demo page's third-party files. Nothing to vendor today: the sign-in UI is the
# package's <passwordless-login> element, served from pkg/ at /pkg/ (its TOTP enrolment's QR
# encoder, npm `uqr`, ships in the package as pkg/qr.js). Kept as the place for such files;
# www/vendor/ (ignored by git) is what an earlier demo copied there, and is removed.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -rf www/vendor
