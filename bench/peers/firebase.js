// The Firebase peer for the same job: Auth's email-link functions (sendSignInLinkToEmail,
// isSignInWithEmailLink, signInWithEmailLink) on an app pointed at a closed loopback emulator.
import { initializeApp } from "firebase/app";
import { connectAuthEmulator, getAuth, isSignInWithEmailLink, sendSignInLinkToEmail, signInWithEmailLink } from "firebase/auth";

export const emailLink = { sendSignInLinkToEmail, isSignInWithEmailLink, signInWithEmailLink };

export default async function start() {
  const app = initializeApp({ apiKey: "bench", authDomain: "127.0.0.1", projectId: "bench" });
  const auth = getAuth(app);
  connectAuthEmulator(auth, "http://127.0.0.1:9", { disableWarnings: true });
  await auth.authStateReady();
  return auth;
}
