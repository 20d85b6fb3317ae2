// The demo's own panel under the element: the verified ID token's claims that the element's
// `signedin` event hands over, and when a magic link was asked for (its appState).
import { $ } from "./ui.js";

const panel = $(".token");
const TIME_CLAIMS = ["exp", "iat", "auth_time", "updated_at"];

export function showClaims(session) {
  const rows = Object.entries(session.claims).flatMap(([name, value]) => {
    const dt = document.createElement("dt");
    const dd = document.createElement("dd");
    dt.textContent = name;
    dd.textContent = typeof value === "string" ? value : JSON.stringify(value);
    if (TIME_CLAIMS.includes(name) && typeof value === "number") {
      const time = document.createElement("time");
      time.dateTime = new Date(value * 1000).toISOString();
      time.textContent = new Date(value * 1000).toLocaleString();
      dd.append(" ", time);
    }
    return [dt, dd];
  });
  $(".claims", panel).replaceChildren(...rows);
  // A magic link hands back what this page gave the element (appState), in whichever tab it opens.
  const origin = $(".link-origin", panel);
  const sentAt = session.appState?.sentAt;
  origin.hidden = typeof sentAt !== "number";
  if (!origin.hidden) origin.textContent = `You asked for this sign-in link at ${new Date(sentAt).toLocaleTimeString()}.`;
  panel.hidden = false;
}

export function hideClaims() {
  $(".claims", panel).replaceChildren();
  panel.hidden = true;
}
