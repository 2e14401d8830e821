// Shared helpers for the JavaScript suites, which run against the built
// package in pkg/ (`make build` first; `make test` does).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The built package; LARKHOOK_PKG_DIR points the suites at another build (scripts/mutants.mjs does). */
export const pkgDir = process.env.LARKHOOK_PKG_DIR ?? join(root, "pkg");
export const require = createRequire(import.meta.url);

export const lark = await import(join(pkgDir, "index.node.mjs"));
export const larkCjs = require(join(pkgDir, "index.node.cjs"));

export const fixture = (name) => readFileSync(join(root, "tests", "fixtures", name), "utf8");
export const vectors = JSON.parse(readFileSync(join(root, "tests", "vectors", "vectors.json"), "utf8"));

export const KEY = "lark-encrypt-key";
export const TOKEN = "rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV";
export const NOW = 1_700_000_000;

/** A signed, encrypted delivery of `event` (JSON text) at NOW. */
export function delivery(event, options = {}) {
  return lark.createTestDelivery({
    event,
    encryptKey: KEY,
    verificationToken: TOKEN,
    timestamp: NOW,
    nonce: "nonce",
    ...options,
  });
}

export function hook(options = {}) {
  return new lark.LarkWebhook({ encryptKey: KEY, verificationToken: TOKEN, ...options });
}

/** The code `fn` throws, or "ok". */
export function codeOf(fn) {
  try {
    fn();
    return "ok";
  } catch (e) {
    if (!(e instanceof lark.LarkWebhookError) && e?.name !== "LarkWebhookError") throw e;
    return e.code;
  }
}

export function errorOf(fn) {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected an error");
}
