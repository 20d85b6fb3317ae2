// The Lock Passwordless peer of <passwordless-login>: Auth0's drop-in passwordless form (the
// `auth0-lock` package's Auth0LockPasswordless), constructed for an email code, not shown.
import { Auth0LockPasswordless } from "auth0-lock";

export default async function start() {
  return new Auth0LockPasswordless("bench", "127.0.0.1:9", { allowedConnections: ["email"], passwordlessMethod: "code" });
}
