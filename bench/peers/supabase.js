// The Supabase peer for the same job: a client ready to call signInWithOtp({ email }).
import { AuthClient } from "@supabase/auth-js";

export default async function start() {
  const auth = new AuthClient({
    url: "http://127.0.0.1:9/auth/v1",
    headers: { apikey: "bench" },
    persistSession: false,
    autoRefreshToken: false,
    detectSessionInUrl: false,
  });
  await auth.initialize(); // what signInWithOtp awaits first
  return auth;
}
