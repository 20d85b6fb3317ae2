// The auth0-spa-js peer for the same job: a client ready to sign in (its passwordless path is the
// hosted login page, reached with loginWithRedirect; the client is what a page constructs first).
import { Auth0Client } from "@auth0/auth0-spa-js";

export default async function start() {
  return new Auth0Client({ domain: "127.0.0.1:9", clientId: "bench", authorizationParams: { redirect_uri: "http://127.0.0.1:9/callback" } });
}
