// Settings of the example server, from the environment. The demo secrets are
// public: `make demo` passes them to the server explicitly, and the server
// never falls back to them by itself (a secret missing in one environment
// must not silently become a public one).
export const DEMO_ENCRYPT_KEY = "demo-encrypt-key";
export const DEMO_VERIFICATION_TOKEN = "demo-verification-token";
export const host = process.env.HOST || "127.0.0.1";
export const port = Number(process.env.PORT ?? 8787);

/**
 * The server's settings, from the environment only:
 * LARK_ENCRYPT_KEY, LARK_VERIFICATION_TOKEN (an empty value counts as unset),
 * LARK_INSECURE=1 (accept unverified deliveries: local experiments only),
 * REDIS_URL (share the dedup store and keep it across restarts),
 * FORWARD_URL (POST each event there), DRAIN_TIMEOUT_MS (default 10000).
 */
export function serverSettings(env = process.env) {
  return {
    encryptKey: env.LARK_ENCRYPT_KEY || undefined,
    verificationToken: env.LARK_VERIFICATION_TOKEN || undefined,
    insecure: env.LARK_INSECURE === "1",
    redisUrl: env.REDIS_URL || undefined,
    forwardUrl: env.FORWARD_URL || undefined,
    drainTimeoutMs: Number(env.DRAIN_TIMEOUT_MS || 10_000),
  };
}
