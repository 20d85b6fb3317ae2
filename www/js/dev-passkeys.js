// A dev aid in the dev inbox panel: the local tenant's passkeys of the signed-in address, each
// removable (the tenant's /dev/passkeys routes; elsewhere they answer 404 and nothing shows).
import { $ } from "./ui.js";

const section = $("#dev-passkeys");

/** Lists the passkeys of `address` (an email or a phone number). */
export async function showDevPasskeys(address) {
  if (!address) return;
  let passkeys;
  try {
    const answer = await fetch(`/dev/passkeys?to=${encodeURIComponent(address)}`, { cache: "no-store" });
    if (!answer.ok) return;
    passkeys = await answer.json();
  } catch {
    return; // a dev aid only
  }
  const items = passkeys.map((passkey) => {
    const li = document.createElement("li");
    const name = document.createElement("code");
    name.textContent = passkey.short_id ?? passkey.credential_id;
    const used = passkey.last_used_at ? `, last used ${passkey.last_used_at}` : ", never used";
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "link";
    remove.textContent = "Remove";
    remove.setAttribute("aria-label", `Remove passkey ${name.textContent}`);
    remove.addEventListener("click", async () => {
      await fetch(`/dev/passkeys/${encodeURIComponent(passkey.credential_id)}`, { method: "DELETE" })
        .catch(() => {});
      showDevPasskeys(address);
    });
    li.append(name, ` created ${passkey.created_at}${used} `, remove);
    return li;
  });
  $("ul", section).replaceChildren(...items);
  section.hidden = passkeys.length === 0;
  if (passkeys.length) $("#inbox").hidden = false;
}

export function hideDevPasskeys() {
  $("ul", section).replaceChildren();
  section.hidden = true;
}
