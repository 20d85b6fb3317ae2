// A code link opened this page: the code email's link carries the code (and the address) in the
// fragment. The SDK takes it out of the address bar at once; nothing is used until the person
// presses Continue, so a mail scanner that opens the link uses nothing up, and it works in any
// browser on any device.
import { $, busy, clearMessages, show, showError } from "./ui.js";

const step = $("#code-link-step");

/** Shows "Continue as …" for the link on this page; `complete(promise)` carries the session on. */
export function finishCodeLink(client, complete, showStartWithError) {
  let info;
  try {
    info = client.readCodeLink();
  } catch (error) {
    showStartWithError(error);
    return;
  }
  const address = info.email ?? info.phoneNumber;
  $(".who", step).textContent = address ?? "";
  $(".with-address", step).hidden = !address;
  $(".without-address", step).hidden = Boolean(address);
  clearMessages();
  show(step);
  step.addEventListener("submit", (event) => {
    event.preventDefault();
    const email = $("#code-link-email").value.trim();
    if (!address && !email) {
      showError("Enter the email address this link was sent to.");
      return;
    }
    const named = address ? undefined : { connection: "email", email };
    busy(step, $('button[type="submit"]', step), "Signing in…", async () => {
      try {
        await complete(client.completeCodeLink(named));
      } catch (error) {
        if (error?.code === "link_used_or_expired") return showStartWithError(error, "email-link");
        throw error;
      }
    });
  });
  $(".back", step).addEventListener("click", () => showStartWithError(""));
}
