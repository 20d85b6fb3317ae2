// A single-page app that imports the package by its name, as a user's app would, and lets
// Vite bundle the JS glue and the .wasm file. Point `domain` at your relay.
import init, { PasswordlessClient } from "passwordless-wasm";

const status = document.querySelector("#status");
const startForm = document.querySelector("#start");
const verifyForm = document.querySelector("#verify");

await init();
const client = new PasswordlessClient({
  domain: import.meta.env.VITE_RELAY_URL ?? "http://127.0.0.1:8080",
  clientId: import.meta.env.VITE_CLIENT_ID ?? "demo-client",
});

startForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    await client.start({ connection: "email", email: startForm.email.value, send: "code" });
    verifyForm.hidden = false;
    status.textContent = "Code sent.";
  } catch (error) {
    status.textContent = error.description ?? error.message;
  }
});

verifyForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  try {
    const session = await client.verify({ connection: "email", email: startForm.email.value, code: verifyForm.code.value });
    status.textContent = `Signed in as ${session.claims.email}`;
  } catch (error) {
    status.textContent = error.description ?? error.message;
  }
});
