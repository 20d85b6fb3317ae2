// The demo's own furniture (the dev inbox panel): a query helper and a Copy button. The sign-in
// UI itself is the <passwordless-login> element's.

export const $ = (selector, root = document) => root.querySelector(selector);

/** A button that copies `element`'s text; where the clipboard is refused it selects the text. */
export function copyButton(element, what) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "small";
  button.textContent = "Copy";
  button.setAttribute("aria-label", `Copy ${what}`);
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(element.textContent.trim());
      button.textContent = "Copied";
    } catch {
      getSelection()?.selectAllChildren(element);
      button.textContent = "Selected: press Ctrl+C";
    }
    setTimeout(() => (button.textContent = "Copy"), 2500);
  });
  return button;
}
