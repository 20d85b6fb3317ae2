// The demo page, flow by flow, in headless Chromium, acting as a person. Each flow lives in
// ./flows/; this file only lists them, in one process and in this order, because two of
// them change the local tenant for everyone: the enrolment switches the MFA policy to
// "always" (every sign-in then needs a second factor) and the expired code moves the
// tenant's clock forward for good (later ID tokens would be dated in the browser's future).
// Screenshots: test-artifacts/<name>.png.
import { after, test } from "node:test";

import * as codeLinks from "./flows/code-links.mjs";
import * as failures from "./flows/failures.mjs";
import * as link from "./flows/magic-link.mjs";
import * as mfa from "./flows/mfa.mjs";
import * as passkeys from "./flows/passkeys.mjs";
import * as sessions from "./flows/sessions.mjs";
import * as signIn from "./flows/sign-in.mjs";
import { closeBrowser } from "./person.mjs";

after(closeBrowser);

const flow = (name, body) => test(name, { timeout: 90_000 }, body);

flow("email code, with the keyboard alone", signIn.emailCodeByKeyboard);
flow("SMS code on a phone-sized screen, pasted whole", signIn.smsCodeOnAPhone);
flow("a wrong code is refused, then the right one signs in", signIn.wrongCodeThenRight);
flow("too many wrong codes use the code up", signIn.tooManyWrongCodes);
flow("magic link opened in the same browser", link.sameBrowser);
flow("magic link opened in a new tab of the same browser, then again once used", link.newTabThenUsedAgain);
flow("magic link opened in another browser: a clear error", link.otherBrowser);
flow("code link: survives a scanner, opens on another device, used once", codeLinks.codeLinkOnAnotherDevice);
flow("magic link: a scanner's GET and HEAD use nothing up", codeLinks.magicLinkAfterAScanner);
flow("passkey: sign up, sign out, sign in with one tap", passkeys.signUpThenOneTap);
flow("passkey: sign in from the email field's autofill", passkeys.autofill);
flow("passkey: code sign-in, save a passkey, then sign in with it (same account)", passkeys.codeThenSavePasskey);
flow("passkey: no matching passkey, and verification refused", passkeys.refused);
flow("a reload keeps the session; signing out in a second tab is seen in the first", sessions.reloadAndSecondTab);
flow("rate limited: the button waits for Retry-After", failures.rateLimited);
flow("network down: a clear error, what was typed is kept", failures.networkDown);
flow("second factor: TOTP from an authenticator app (otplib)", mfa.totp);
flow("second factor: SMS code", mfa.smsCode);
flow("second factor: push approved from the inbox panel", mfa.pushApproved);
flow("second factor: push denied from the inbox panel", mfa.pushDenied);
flow("second factor: recovery code, and the new one shown once", mfa.recoveryCode);
// These two change the tenant for every later sign-in: keep them last, in this order.
flow("enrolment: TOTP with a QR code, recovery code saved", mfa.enrolment);
flow("an expired code (the tenant's clock moved on)", failures.expiredCode);
