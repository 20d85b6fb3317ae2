#!/usr/bin/env bash
# Copies the demo page's third-party ES modules from node_modules into www/vendor/ (ignored by
# git), so that the page loads nothing from a CDN. Run after `npm ci` (scripts/setup.sh).
#   uqr: draws the otpauth:// URI of a TOTP enrolment as a QR code (MIT).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p www/vendor
cp node_modules/uqr/dist/index.mjs www/vendor/uqr.mjs
cp node_modules/uqr/LICENSE www/vendor/uqr.LICENSE
