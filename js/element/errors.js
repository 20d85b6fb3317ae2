// A sentence for a person from the SDK's error: its stable `code`, the server's `description`
// (told apart where one code covers several cases) and, when rate limited, `retryAfter`.

/** "in 40 seconds", "in 1 minute" */
function waitPhrase(t, seconds) {
  if (!(seconds > 0)) return t("inAMoment");
  if (seconds >= 90) return t("inMinutes", { n: Math.ceil(seconds / 60) });
  if (seconds >= 60) return t("inAMinute");
  return seconds === 1 ? t("inASecond") : t("inSeconds", { n: Math.ceil(seconds) });
}

/** The server's wording of `invalid_grant`, as a person would want to read it. */
const INVALID_GRANT = [
  [/expired/i, "codeExpired"],
  [/maximum number of attempts/i, "codeUsedUp"],
  [/wrong email or verification code/i, "codeWrong"],
  [/otp_code/i, "otpWrong"],
  [/binding_code/i, "bindingWrong"],
  [/recovery_code/i, "recoveryWrong"],
  [/rejected/i, "pushDenied"],
  [/mfa_token/i, "signInEnded"],
];

/** Whether `error` ends this sign-in: the person must start again from the first screen. */
export function endsSignIn(error) {
  return ["expired_token", "invalid_grant"].includes(error?.code) && /mfa_token/i.test(error.description ?? "");
}

/** Whether a one-time code is dead (expired, or typed wrong too often): only a new one helps. */
export const codeIsUsedUp = (error) =>
  error?.code === "invalid_grant" && /expired|maximum number of attempts/i.test(error.description ?? "");

/** The sentence for `error`, in the element's language (`t`). */
export function messageFor(t, error) {
  const code = error?.code;
  const said = error?.description ?? "";
  switch (code) {
    case "invalid_grant": {
      const known = INVALID_GRANT.find(([pattern]) => pattern.test(said));
      return known ? t(known[1]) : said || t("tryAgain");
    }
    case "too_many_requests":
      return t(code, { wait: waitPhrase(t, error.retryAfter) });
    case "too_many_attempts":
      return t(code, { wait: error.retryAfter ? waitPhrase(t, error.retryAfter) : t("later") });
    case "expired_token":
      return /mfa_token/i.test(said) ? t("signInTooLong") : t(code);
    case "upstream_timeout":
      return t("upstream_unavailable");
    case "upstream_refused":
      return said || t(code);
    default: {
      const known = code && t(code);
      if (known && known !== code) return known;
      return said || error?.message || t("somethingWrong");
    }
  }
}
