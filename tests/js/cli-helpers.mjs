// What the command-line tests share (tests/js/cli*.test.mjs): the secrets
// every run is checked for, the CLI run as a child process, captures built
// with node:crypto (the platform's recipe, not larkhook's code), servers on
// 127.0.0.1.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createCipheriv, createHash, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";

import { fixture, pkgDir } from "./helpers.mjs";

export const cli = join(pkgDir, "cli.mjs");

export const KEY = "cli-test-encrypt-key-5b1f0d";
export const TOKEN = "cli-test-verification-token-9c2e41";
export const APP_ID = "cli_a1b2c3d4e5f60718";
export const APP_SECRET = "cli-test-app-secret-Qw7Zr2";
export const HELPDESK_ID = "7000000000000000001";
export const HELPDESK_TOKEN = "ht-cli-test-helpdesk-token-3e8a";
export const TENANT_TOKEN = "t-g1044cli-test-tenant-token-77aa";
export const HELPDESK_AUTH = Buffer.from(`${HELPDESK_ID}:${HELPDESK_TOKEN}`).toString("base64");
export const SECRETS = [KEY, TOKEN, APP_ID, APP_SECRET, HELPDESK_ID, HELPDESK_TOKEN, TENANT_TOKEN, HELPDESK_AUTH];

/** A scratch directory for this test file's process, removed when its tests end. */
export const work = mkdtempSync(join(tmpdir(), "larkhook-cli-"));
after(() => rmSync(work, { recursive: true, force: true }));

/** The environment without any LARK_* variable or colour setting of the caller. */
export function cleanEnv(extra = {}) {
  const env = {};
  for (const [name, value] of Object.entries(process.env)) if (!/^(LARK_|NO_COLOR|FORCE_COLOR)/.test(name)) env[name] = value;
  return { ...env, ...extra };
}

/**
 * Runs the CLI without blocking this process (the servers it talks to live
 * here); asserts that no secret appears in what it printed.
 */
export function larkhook(args, { env = {}, input, node = [] } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...node, cli, ...args], { env: cleanEnv(env), stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      for (const secret of SECRETS) {
        assert.ok(!stdout.includes(secret), `stdout of larkhook ${args.join(" ")} contains a secret (${secret.slice(0, 6)}…)`);
        assert.ok(!stderr.includes(secret), `stderr of larkhook ${args.join(" ")} contains a secret (${secret.slice(0, 6)}…)`);
      }
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(input ?? "");
  });
}

export const file = (name, text) => {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
};

export async function listen(server) {
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

export async function close(server) {
  server.closeAllConnections?.();
  await new Promise((resolve) => server.close(resolve));
}

export const sha256hex = (text) => createHash("sha256").update(text).digest("hex");

/** AES-256-CBC with SHA-256(key), a random IV in front, base64: the platform's recipe, in node:crypto. */
export function encryptLikePlatform(key, plaintext) {
  const iv = randomBytes(16);
  const cipher = createCipheriv("aes-256-cbc", createHash("sha256").update(key).digest(), iv);
  return Buffer.concat([iv, cipher.update(plaintext, "utf8"), cipher.final()]).toString("base64");
}

/** A captured request as a proxy would log it, built with node:crypto only. */
export function capture({ fixtureName = "ticket_created_v1.json", key = KEY, token = TOKEN, timestamp = Math.floor(Date.now() / 1000), eol = "\r\n" } = {}) {
  const plaintext = fixture(fixtureName).replace("rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV", token);
  const body = JSON.stringify({ encrypt: encryptLikePlatform(key, plaintext) });
  const nonce = randomBytes(6).toString("hex");
  const signature = sha256hex(`${timestamp}${nonce}${key}${body}`);
  const head = [
    "POST /webhook/event HTTP/1.1",
    "Host: hooks.example.com",
    "Content-Type: application/json",
    `x-lark-request-timestamp: ${timestamp}`,
    `X-Lark-Request-Nonce: ${nonce}`,
    `X-LARK-SIGNATURE: ${signature}`,
    `Content-Length: ${Buffer.byteLength(body)}`,
  ];
  return { text: `${head.join(eol)}${eol}${eol}${body}`, body, timestamp };
}

export function runScript(command, env) {
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { env: cleanEnv({ TERM: "xterm", ...env }), stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`script exited ${code}: ${out}`))));
    child.stdin.end();
  });
}
