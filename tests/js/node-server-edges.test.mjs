// The Node server example at its edges (issue 17): no request on any path
// makes it exit (the targets that used to, and a few hundred seeded random
// ones over raw TCP, every method), unknown paths answer 404 `not_found` as
// JSON, and it never prints a configured key or token.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { connect } from "node:net";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { prng } from "./delivery/faults.mjs";
import { lark, root } from "./helpers.mjs";

const KEY = "node-edges-encrypt-key-41f9";
const TOKEN = "node-edges-verification-token-c2d7";

function startServer(env) {
  const child = spawn(process.execPath, [join(root, "examples", "node-server", "server.mjs")], {
    env: { ...process.env, PORT: "0", HOST: "127.0.0.1", LARK_ENCRYPT_KEY: "", LARK_VERIFICATION_TOKEN: "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  child.stdout.on("data", (d) => (text += d));
  child.stderr.on("data", (d) => (text += d));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      // The whole banner: its last line is the command that posts samples.
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)[\s\S]*larkhook trigger all --url \S+\n/.exec(text);
      if (m) {
        clearInterval(poll);
        resolve(m[1]);
      }
    }, 10);
    exited.then(({ code }) => {
      clearInterval(poll);
      reject(new Error(`server exited with ${code}: ${text}`));
    });
  });
  url.catch(() => {});
  return { child, url, exited, text: () => text };
}

async function stopServer(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(child.pid, "SIGINT");
  await exited;
}

/** One raw HTTP/1.1 request (any target, any method); the status line's code, or 0 when the connection closed without one. */
function rawRequest(port, method, target, body = "") {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1", () => {
      const head = [`${method} ${target} HTTP/1.1`, "Host: 127.0.0.1", "Connection: close"];
      if (body) head.push(`Content-Length: ${Buffer.byteLength(body)}`);
      // Not half-closed: the server answers, then closes (Connection: close).
      socket.write(`${head.join("\r\n")}\r\n\r\n${body}`);
    });
    let text = "";
    socket.setTimeout(5000, () => socket.destroy());
    socket.on("data", (d) => (text += d));
    socket.on("close", () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
    socket.on("error", () => {});
  });
}

/** Seeded request targets: the characters and escapes that break URL parsers and decoders. */
function randomTargets(count, seed) {
  const random = prng(seed);
  const pieces = ["/", "//", "%", "%f", "%ff", "%E0%A4%A", "%C0%AF", "%2e%2e", "..", ".", "%00", "?", "#", "&", "=", "webhook", "event", "index.html", "~", ":", "@", "[", "]", "%zz", "%%", "\\", "*", "http:", "é", "%u0041", "+", " "];
  return Array.from({ length: count }, () => {
    let target = random() < 0.9 ? "/" : "";
    const n = 1 + Math.floor(random() * 8);
    for (let i = 0; i < n; i++) target += pieces[Math.floor(random() * pieces.length)];
    return target.replace(/ /g, "%20");
  });
}

const METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"];

describe("the Node server example at its edges", () => {
  let server;
  let base;
  let port;

  before(async () => {
    server = startServer({ LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN });
    base = await server.url;
    port = Number(new URL(base).port);
  });

  after(async () => {
    await stopServer(server.child);
  });

  test("the targets that used to end the process, then 300 seeded random ones with every method: it answers each and stays up", async () => {
    const known = [
      ["GET", "/%ff"],
      ["GET", "//"],
      ["HEAD", "/%E0%A4%A"],
      ["GET", "//webhook/event"],
      ["GET", "/..%2f..%2f..%2fetc%2fpasswd"],
      ["GET", "/%00"],
      ["POST", "/%ff"],
      ["GET", "*"],
      ["OPTIONS", "*"],
      ["GET", "http://127.0.0.1/%ff"],
    ];
    const random = randomTargets(300, 17).map((target, i) => [METHODS[i % METHODS.length], target]);
    const statuses = {};
    for (const [method, target] of [...known, ...random]) {
      const { status } = await rawRequest(port, method, target, method === "POST" ? "{}" : "");
      statuses[status] = (statuses[status] ?? 0) + 1;
      assert.equal(server.child.exitCode, null, `${method} ${target} ended the server: ${server.text().slice(-500)}`);
      assert.ok(status === 0 || (status >= 200 && status < 600), `${method} ${target}: ${status}`);
      assert.notEqual(status, 500, `${method} ${target} failed inside the server: ${server.text().slice(-300)}`);
    }
    assert.ok(statuses[404] > 100, JSON.stringify(statuses));
    // Still serving deliveries.
    const id = crypto.randomUUID();
    const d = lark.createTestDelivery({ event: { schema: "2.0", header: { event_id: id, event_type: "a.b" }, event: {} }, encryptKey: KEY, verificationToken: TOKEN });
    const response = await fetch(`${base}/webhook/event`, { method: "POST", headers: d.headers, body: d.body });
    assert.equal(response.status, 200);
    assert.equal(server.child.exitCode, null);
  });

  test("unknown paths answer 404 not_found as JSON, whatever the method; HEAD gets the status without a body", async () => {
    for (const [method, path] of [
      ["POST", "/"],
      ["POST", "/webhook"],
      ["POST", "/webhook/event/"],
      ["PUT", "/webhook/events"],
      ["GET", "/no-such-file.js"],
      ["DELETE", "/index.html"],
    ]) {
      const response = await fetch(`${base}${path}`, { method, body: method === "GET" ? undefined : "{}" });
      assert.equal(response.status, 404, `${method} ${path}`);
      assert.equal(response.headers.get("content-type"), "application/json");
      const body = await response.json();
      assert.equal(body.code, "not_found");
      assert.match(body.message, /POST \/webhook\/event/);
    }
    const head = await rawRequest(port, "HEAD", "/no-such-file.js");
    assert.equal(head.status, 404);
    assert.doesNotMatch(head.text, /not_found/, "no body for HEAD");
    // The webhook path itself keeps its own answers.
    const get = await fetch(`${base}/webhook/event`);
    assert.equal(get.status, 405);
    assert.equal((await get.json()).code, "method_not_allowed");
  });

  test("it never prints the configured key or token, and its printed command works with them in the environment", async () => {
    assert.match(server.text(), /Encrypt Key\s+set \(not shown\)\n/);
    assert.match(server.text(), /Verification Token\s+set \(not shown\)\n/);
    const command = /^ {2}(npx --prefix examples\/node-server larkhook trigger all --url \S+)$/m.exec(server.text())[1];
    const sent = JSON.parse(
      execFileSync("bash", ["-c", `${command} --json`], { cwd: root, encoding: "utf8", env: { ...process.env, LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN } }),
    );
    assert.equal(sent.ok, true);
    // After the banner, the samples, the 404s and the errors above: neither secret anywhere.
    for (const secret of [KEY, TOKEN]) assert.ok(!server.text().includes(secret), `${secret} printed`);
  });

  test("the public demo values are printed, and named as such; a real secret beside one is not", async () => {
    const demo = startServer({ LARK_ENCRYPT_KEY: "demo-encrypt-key", LARK_VERIFICATION_TOKEN: "demo-verification-token" });
    const mixed = startServer({ LARK_ENCRYPT_KEY: "demo-encrypt-key", LARK_VERIFICATION_TOKEN: TOKEN });
    try {
      await Promise.all([demo.url, mixed.url]);
      assert.match(demo.text(), /Encrypt Key\s+demo-encrypt-key\s+\(the public demo value from `make demo`/);
      assert.match(demo.text(), /LARK_ENCRYPT_KEY='demo-encrypt-key' LARK_VERIFICATION_TOKEN='demo-verification-token' npx --prefix examples\/node-server larkhook trigger all/);
      assert.match(mixed.text(), /Verification Token\s+set \(not shown\)/);
      assert.ok(!mixed.text().includes(TOKEN));
      assert.doesNotMatch(mixed.text(), /LARK_ENCRYPT_KEY='/, "no command with a secret in it");
    } finally {
      await Promise.all([stopServer(demo.child), stopServer(mixed.child)]);
    }
  });
});
