// The auth0-js peer for the same job: a client ready to call passwordlessStart({ connection, send, email }).
import auth0 from "auth0-js";

export default async function start() {
  return new auth0.WebAuth({ domain: "127.0.0.1:9", clientID: "bench", responseType: "token id_token", redirectUri: "http://127.0.0.1:9/callback" });
}
