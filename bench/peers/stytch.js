// The Stytch peer for the same job: the headless client, ready for otps.email.loginOrCreate and
// otps.authenticate. Its API and telemetry URLs point at a closed loopback port, so nothing
// leaves the machine.
import { createStytchClient } from "@stytch/vanilla-js/headless";

export default async function start() {
  return createStytchClient("public-token-test-00000000-0000-0000-0000-000000000000", {
    customBaseUrl: "http://127.0.0.1:9",
    dfppaUrl: "http://127.0.0.1:9",
    dfpCdnUrl: "http://127.0.0.1:9",
  });
}
