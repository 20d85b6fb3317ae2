// Small helpers for the code fields and the recovery code's Copy button.

/** Keeps only digits; a one-time code is often pasted as "123 456" or inside a sentence. */
export const digitsOf = (text) => String(text ?? "").replace(/\D+/g, "");

/**
 * Makes `input` accept a whole pasted code: the digits are kept, and a complete code submits
 * the form at once (as an SMS autofill does). Only while the input is numeric.
 */
export function acceptPastedCode(input, length) {
  input.addEventListener("paste", (event) => {
    if (input.inputMode !== "numeric") return;
    const digits = digitsOf(event.clipboardData?.getData("text"));
    if (!digits) return;
    event.preventDefault();
    input.value = digits.slice(0, length);
    if (input.value.length === length) input.form?.requestSubmit();
  });
  input.addEventListener("input", () => {
    if (input.inputMode !== "numeric") return;
    const digits = digitsOf(input.value);
    if (digits !== input.value) input.value = digits.slice(0, length);
  });
}

/** A button that copies `element`'s text; where the clipboard is refused it selects the text. */
export function copyButton(login, element) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "small";
  button.setAttribute("part", "button copy");
  button.textContent = login.t("copy");
  button.setAttribute("aria-label", login.t("copyRecoveryCode"));
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(element.textContent.trim());
      button.textContent = login.t("copied");
    } catch {
      getSelection()?.selectAllChildren(element);
      button.textContent = login.t("copySelected");
    }
    setTimeout(() => (button.textContent = login.t("copy")), 2500);
  });
  return button;
}
