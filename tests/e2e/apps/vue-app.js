// A Vue 3 app with <passwordless-login>: the app makes the PasswordlessClient itself and hands
// it to the element's `client` property; the element's events through Vue's listeners.
import { createApp, h, ref, shallowRef } from "vue";
import init, { PasswordlessClient } from "passwordless-wasm";
import "passwordless-wasm/element";

const relay = new URLSearchParams(location.search).get("relay");
window.seen = [];

const App = {
  setup() {
    const client = shallowRef(null);
    const user = ref(null);
    init().then(() => {
      client.value = new PasswordlessClient({ domain: relay, clientId: "demo-client" });
    });
    const note = (name) => (event) => window.seen.push({ name, detail: event.detail, composed: event.composed });
    return () =>
      h("main", [
        h("h1", "Vue app"),
        h("p", { "data-testid": "app-user" }, user.value ? `The app knows ${user.value}` : "Nobody signed in"),
        client.value &&
          h("passwordless-login", {
            client: client.value,
            language: "en",
            onSent: note("sent"),
            onError: note("error"),
            onSignedin: (event) => {
              note("signedin")(event);
              user.value = event.detail.claims.email;
            },
            onSignedout: (event) => {
              note("signedout")(event);
              user.value = null;
            },
          }),
      ]);
  },
};

createApp(App).mount("#root");
