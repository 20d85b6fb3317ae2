// A React 19 app with <passwordless-login>: attributes for the configuration, the element's
// events through React 19's custom-element support (`onsignedin` listens to "signedin").
import { useState } from "react";
import { createRoot } from "react-dom/client";
import "passwordless-wasm/element";

const relay = new URLSearchParams(location.search).get("relay");
window.seen = [];

function App() {
  const [user, setUser] = useState(null);
  const note = (name) => (event) => window.seen.push({ name, detail: event.detail, composed: event.composed });
  return (
    <main>
      <h1>React app</h1>
      <p data-testid="app-user">{user ? `The app knows ${user}` : "Nobody signed in"}</p>
      <passwordless-login
        domain={relay}
        client-id="demo-client"
        connections="email sms"
        onsent={note("sent")}
        onerror={note("error")}
        onsignedin={(event) => {
          note("signedin")(event);
          setUser(event.detail.claims.email);
        }}
        onsignedout={(event) => {
          note("signedout")(event);
          setUser(null);
        }}
      />
    </main>
  );
}

createRoot(document.getElementById("root")).render(<App />);
