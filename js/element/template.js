// The element's shadow DOM: one step on screen at a time. Texts are filled from the strings
// (`data-t` → textContent, `data-t-placeholder`, `data-t-alt`, `data-t-aria-label`); each
// stylable piece has a `part`.
import { style } from "./style.js";

const step = (id, body, tag = "form", more = "") =>
  `<${tag} id="${id}-step" class="step" part="step ${id}-step" data-testid="${id}-step" hidden${tag === "form" ? " novalidate" : ""}${more}>${body}</${tag}>`;
const h1 = (key) => `<h2 tabindex="-1" part="heading" data-t="${key}"></h2>`;
const hint = (key, more = "") => `<p class="hint ${more}" part="hint" data-t="${key}"></p>`;
const submit = (key) => `<button type="submit" part="button primary" data-t="${key}"></button>`;
const linkButton = (cls, key) => `<button type="button" class="link ${cls}" part="button link" data-t="${key}"></button>`;
const otp = (id, label, extra = "") =>
  `<label for="${id}" part="label" data-t="${label}"></label><input id="${id}" name="${id}" part="input otp" type="text" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]*" maxlength="6" required spellcheck="false" class="otp" ${extra}>`;
const method = (value, key) =>
  `<label class="method" part="method" data-method="${value}"><input type="radio" name="method" value="${value}"><span><strong data-t="${key}"></strong><small data-t="${key}Detail"></small></span></label>`;

export const html = `<style>${style}</style>
<div class="card" part="card">
<p class="error" role="alert" part="error" data-testid="error"></p>
<p class="notice" role="status" part="notice" data-testid="notice"></p>
${step("loading", h1("loading"), "section", ' aria-busy="true"')}
${step("start", `${h1("signInTitle")}${hint("signInHint")}
<fieldset class="methods" part="methods"><legend data-t="methods"></legend>
${method("email", "methodEmail")}${method("sms", "methodSms")}${method("link", "methodLink")}${method("magic-link", "methodMagicLink")}
</fieldset>
<div class="field" data-for="email"><label for="email" part="label" data-t="emailLabel"></label>
<input id="email" name="email" part="input" type="email" autocomplete="email" required autocapitalize="off" spellcheck="false" data-t-placeholder="emailPlaceholder"></div>
<div class="field" data-for="phone" hidden><label for="phone" part="label" data-t="phoneLabel"></label>
<input id="phone" name="phone" part="input" type="tel" autocomplete="tel" required data-t-placeholder="phonePlaceholder" aria-describedby="phone-hint">
<p class="hint small" id="phone-hint" data-t="phoneHint"></p></div>
<button type="submit" part="button primary" class="send" data-t="sendCode"></button>
<p class="cooldown" part="cooldown"></p>
<div class="passkeys" hidden><p class="or" data-t="or"></p>
<button type="button" class="passkey-sign-in" part="button passkey" data-t="passkeySignIn"></button>
${linkButton("passkey-sign-up", "passkeySignUp")}</div>`)}
${step("code-link", `${h1("codeLinkTitle")}<p class="hint with-address" part="hint"></p>
<div class="field without-address" hidden><label for="code-link-email" part="label" data-t="codeLinkEmailLabel"></label>
<input id="code-link-email" part="input" type="email" autocomplete="email" spellcheck="false"></div>
${submit("continue")}<div class="secondary">${linkButton("back", "notYou")}</div>`)}
${step("code", `${h1("checkEmail")}<p class="hint sent" part="hint" data-testid="code-sent"></p>
${otp("code", "codeLabel", 'placeholder="123456"')}${submit("signIn")}
<div class="secondary">${linkButton("resend", "resendCode")}${linkButton("back", "otherWay")}</div>
<p class="cooldown" part="cooldown"></p>`)}
${step("link", `<h2 tabindex="-1" part="heading" data-t="checkEmail"></h2><p class="hint sent" part="hint"></p>${hint("linkThisBrowser", "where")}
<div class="secondary">${linkButton("resend", "resendLink")}${linkButton("back", "otherWay")}</div>
<p class="cooldown" part="cooldown"></p>`, "section")}
${step("callback", `${h1("callbackTitle")}${hint("callbackHint")}`, "section", ' aria-busy="true"')}
${step("mfa-choose", `${h1("mfaTitle")}${hint("mfaHint")}<ul class="factors" part="factors" data-t-aria-label="factors"></ul>
<div class="secondary">${linkButton("restart", "startOver")}</div>`, "section")}
${step("mfa-code", `<h2 tabindex="-1" part="heading"></h2><p class="hint prompt" part="hint"></p>
<label for="mfa-code" part="label"></label><input id="mfa-code" name="mfa-code" part="input" type="text" autocomplete="one-time-code" inputmode="numeric" required spellcheck="false">
${submit("verify")}<div class="secondary">${linkButton("other", "otherMethod")}</div>`)}
${step("mfa-push", `${h1("pushTitle")}<p class="hint device" part="hint"></p>
<p class="waiting" aria-live="polite"><span class="spinner" part="spinner" aria-hidden="true"></span><span data-t="pushWaiting"></span></p>
<div class="secondary">${linkButton("other", "otherMethod")}</div>`, "section")}
${step("enrol", `${h1("enrolTitle")}${hint("enrolHint")}
<figure class="qr" part="qr"><img data-t-alt="qrAlt" width="220" height="220">
<figcaption><details><summary data-t="cantScan"></summary>
<p><span data-t="enterKey"></span> <code class="secret" data-testid="totp-secret"></code></p>
<p><a class="otpauth" href="" part="link" data-t="openApp"></a></p></details></figcaption></figure>
${otp("enrol-code", "enrolCodeLabel")}${submit("verifyContinue")}
<div class="secondary">${linkButton("restart", "startOver")}</div>`)}
${step("recovery", `<h2 tabindex="-1" part="heading"></h2>${hint("recoveryHint")}
<ul class="recovery-codes" part="recovery-codes" data-testid="recovery-codes"></ul>
<label class="check"><input type="checkbox" id="saved" required><span data-t="saved"></span></label>${submit("continue")}`)}
${step("done", `${h1("doneTitle")}<p class="hint signed-in-as" part="hint"></p>
<div class="save-passkey" hidden>${hint("savePasskeyHint")}<button type="button" class="add-passkey" part="button passkey" data-t="savePasskey"></button></div>
<button type="button" class="sign-out" part="button primary" data-t="signOut"></button>`, "section")}
</div>`;
