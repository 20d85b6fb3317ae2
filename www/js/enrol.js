// Enrolling an authenticator app when the tenant requires a second factor the account lacks:
// the otpauth:// URI as a QR code (and as a key to type, and a link for this device), then the
// app's first code confirms it. The recovery codes are shown next, once (./session.js).
import { $, acceptPastedCode, busy, clearMessages, digitsOf, show, showError } from "./ui.js";

const CODE_LENGTH = 6;
const step = $("#enrol-step");
const codeInput = $("#enrol-code");
const qrImage = $(".qr img", step);

/** The enrolment being confirmed: { client, token, complete, recoveryCodes }. */
let enrolment = null;

/** An SVG data URL of `text` as a QR code, or null when the QR module didn't load. */
async function qrDataUrl(text) {
  try {
    // Vendored by scripts/build-www.sh from the npm package `uqr` (no CDN).
    const { renderSVG } = await import("../vendor/uqr.mjs");
    const svg = renderSVG(text, { ecc: "M", border: 4, pixelSize: 8 });
    return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
  } catch {
    return null;
  }
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP", easier to type. */
const grouped = (secret) => secret.replace(/(.{4})(?=.)/g, "$1 ");

/** Asks the tenant for a new TOTP secret and shows it; `complete` carries the session on. */
export async function startEnrolment(client, token, complete) {
  const { secret, barcodeUri, recoveryCodes } = await client.mfa.enroll({ mfaToken: token, factor: "otp" });
  enrolment = { client, token, complete, recoveryCodes: recoveryCodes ?? [] };
  $(".secret", step).textContent = grouped(secret);
  $(".otpauth", step).href = barcodeUri;
  const qr = await qrDataUrl(barcodeUri);
  qrImage.hidden = !qr;
  if (qr) qrImage.src = qr;
  $("details", step).open = !qr;
  step.reset();
  clearMessages();
  show(step);
}

acceptPastedCode(codeInput, CODE_LENGTH);
step.addEventListener("submit", (event) => {
  event.preventDefault();
  clearMessages();
  const otp = digitsOf(codeInput.value);
  if (otp.length !== CODE_LENGTH) {
    showError(`Please enter the ${CODE_LENGTH}-digit code your app shows.`);
    return codeInput.focus();
  }
  const { client, token, complete, recoveryCodes } = enrolment;
  busy(step, $('button[type="submit"]', step), "Verifying…", async () => {
    try {
      await complete(client.mfa.verify({ mfaToken: token, otp }), recoveryCodes);
    } catch (error) {
      codeInput.select();
      throw error;
    }
  });
});
