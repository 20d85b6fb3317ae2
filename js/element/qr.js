// The QR encoder the element loads only for a TOTP enrolment (pkg/qr.js): npm `uqr` (MIT),
// bundled by scripts/build-sdk.sh so that the package needs nothing at run time.
export { renderSVG } from "uqr";
