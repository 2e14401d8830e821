// The payload inspector (www-demo/, built into www-dist/ by scripts/build-www.mjs),
// driven in Debian's Chromium through playwright-core, served by a static
// server on 127.0.0.1 that this file starts and stops (the page's pure modules
// are tested in Node by inspector-modules.test.mjs).
// Screenshots go to test-output/inspector/.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join, normalize, sep } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";

import { fixture, lark, root } from "./helpers.mjs";

const dist = join(root, "www-dist");
const shots = join(root, "test-output", "inspector");
const KEY = "demo-encrypt-key"; // the page's prefilled settings (make demo's defaults)
const TOKEN = "demo-verification-token";


function hasCurl() {
  try {
    execFileSync("curl", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Runs a command without blocking the event loop (the endpoint it calls is in this process). */
function run(command, args) {
  return new Promise((resolve, reject) => {
    execFile(command, args, { timeout: 10_000 }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)));
  });
}

// ---- www-dist, rebuilt when missing or older than its sources -------------

function newest(dir, filter = () => true) {
  let latest = 0;
  for (const name of readdirSync(dir)) {
    if (filter(name)) latest = Math.max(latest, statSync(join(dir, name)).mtimeMs);
  }
  return latest;
}

function ensureBuilt() {
  const index = join(dist, "index.html");
  const sources = Math.max(newest(join(root, "www-demo")), newest(join(root, "pkg"), (n) => /\.(mjs|wasm)$/.test(n)));
  if (existsSync(index) && existsSync(join(dist, "larkhook", "larkhook_bg.wasm")) && statSync(index).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(root, "scripts", "build-www.mjs")], { cwd: root, stdio: "pipe" });
}

// ---- unit tests of the page's modules (no browser) ------------------------

// ---- the page in Chromium ---------------------------------------------------

const TYPES = { ".html": "text/html; charset=utf-8", ".mjs": "text/javascript", ".css": "text/css", ".wasm": "application/wasm", ".svg": "image/svg+xml" };

describe("payload inspector in Chromium", () => {
  let server;
  let origin;
  let context;
  let page;
  let profile;
  const served = []; // every request the static server received
  const requests = []; // every request the browser made
  const problems = []; // console errors, page errors, CSP violations
  let loadedAt = -1; // requests.length once the page had loaded

  before(async () => {
    ensureBuilt();
    server = createServer((req, res) => {
      served.push(`${req.method} ${req.url}`);
      const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
      const file = normalize(join(dist, path.endsWith("/") ? `${path}index.html` : path));
      if (req.method !== "GET" || !file.startsWith(dist + sep) || !existsSync(file) || !statSync(file).isFile()) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(readFileSync(file));
    });
    await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${server.address().port}`;

    const { chromium } = await import(pathToFileURL(join(root, "node_modules", "playwright-core", "index.mjs")).href);
    profile = mkdtempSync(join(tmpdir(), "larkhook-inspector-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: "/usr/bin/chromium",
      headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
      viewport: { width: 1280, height: 900 },
      timezoneId: "Asia/Shanghai",
      locale: "en-US",
    });
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
    context.on("request", (request) => requests.push(request.url()));
    page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning") problems.push(`console ${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
    await page.goto(`${origin}/`);
    await page.waitForSelector("html[data-ready]", { timeout: 20_000 });
    await page.waitForLoadState("networkidle");
    loadedAt = requests.length;
  });

  after(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  // ---- helpers ----

  const inspections = () => page.evaluate(() => Number(document.body.dataset.inspections ?? 0));

  /** Runs `action` and waits for the inspection it causes (input is debounced). */
  async function settled(action) {
    const before = await inspections();
    await action();
    await page.waitForFunction((n) => Number(document.body.dataset.inspections) > n, before, { timeout: 10_000 });
    // A debounced inspection may still be pending from the same action.
    await page.waitForTimeout(250);
  }

  const steps = () =>
    page.$$eval("#steps > li", (items) => items.map((li) => ({ id: li.dataset.step, status: li.dataset.status, text: li.textContent })));
  const stepsById = async () => Object.fromEntries((await steps()).map((s) => [s.id, s]));
  const verdict = () =>
    page.evaluate(() => {
      const el = document.getElementById("verdict");
      return { kind: el.dataset.verdict, text: el.textContent, code: document.getElementById("verdict-code")?.textContent };
    });
  const text = (selector) => page.locator(selector).first().textContent();
  const value = (path) => text(`[data-path="${path}"] .value`);

  async function sample(id) {
    await settled(() => page.click(`button[data-sample="${id}"]`));
  }

  async function setRaw(raw) {
    await settled(() => page.fill("#raw", raw));
  }

  function expectAllPass(list, skipped = []) {
    for (const step of list) {
      const want = skipped.includes(step.id) ? "skip" : "pass";
      assert.equal(step.status, want, `${step.id}: ${step.text}`);
    }
  }

  const STEP_IDS = ["body_size", "headers", "timestamp", "signature", "body_json", "decryption", "payload_json", "schema", "token", "event_type", "typed_model"];

  // ---- tests ----

  test("the page loads the wasm verifier, says keys stay in the browser, and labels every input", async () => {
    assert.equal(await page.title(), "Payload inspector · larkhook");
    assert.match(await text("#privacy"), /never leave the browser/);
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /connect-src 'self'/);
    assert.equal((await verdict()).kind, "empty");
    const unlabelled = await page.$$eval("input, textarea, select", (els) =>
      els.filter((el) => el.type !== "hidden" && el.labels.length === 0 && !el.getAttribute("aria-label") && !el.closest("[aria-hidden=true]")).map((el) => el.id || el.name),
    );
    assert.deepEqual(unlabelled, []);
  });

  test("keyboard only: the skip link comes first, a sample button works with Enter, focus is visible", async () => {
    // Runs right after the load test, before anything was clicked: the first Tab starts at the top.
    await page.keyboard.press("Tab");
    assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
    let reached = false;
    for (let i = 0; i < 25 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = await page.evaluate(() => document.activeElement?.dataset?.sample === "helpdesk.ticket_message.created_v1");
    }
    assert.ok(reached, "the ticket-message sample button is reachable with Tab");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, "none");
    await settled(() => page.keyboard.press("Enter"));
    assert.equal((await verdict()).kind, "pass");
    assert.match(await value("event.ticket.comments[0].id"), /^7262656095919128579\b/);
  });

  test("sample: ticket created passes every check and shows typed fields", async () => {
    await sample("helpdesk.ticket.created_v1");
    assert.equal((await verdict()).kind, "pass");
    assert.equal((await verdict()).code, "kind: event");
    const list = await steps();
    assert.deepEqual(list.map((s) => s.id), STEP_IDS);
    expectAllPass(list);
    assert.match(await value("event.ticket_id"), /^6626871355780366331\b/);
    assert.match(await value("event.status"), /created \(1\)\s*已创建/);
    assert.match(await value("event.stage"), /bot \(1\)\s*机器人/);
    assert.match(await value("event.channel"), /Open API \(9\)/);
    // -1 timestamps are absent from the typed event
    assert.match(await value("event.updated_at"), /not in this delivery/);
    assert.match(await value("event.created_at"), /2021-03-28 08:33:49 UTC\s*local 2021-03-28 16:33:49 GMT\+8\s*1616920429000 ms/);
    assert.match(await text('[data-path="event.status"] .desc'), /工单状态，1：已创建/);
    assert.match(await text('[data-path="header.token"] .value'), /matched/);
    assert.match(await text("#unrecognized-title"), /0/);
    assert.match(await text("#curl"), /^curl -sS -i -X POST 'http:\/\/127\.0\.0\.1:8787\/webhook\/event'/);
    assert.match(await text("#curl"), /-H 'X-Lark-Signature: [0-9a-f]{64}'/);
    assert.match(await text("#expiry"), /timestamp_out_of_range/);

    // The descriptions can be hidden to shorten the view.
    await page.click("#show-desc");
    assert.equal(await page.isHidden('[data-path="event.status"] .desc'), true);
    await page.click("#show-desc");
    assert.equal(await page.isVisible('[data-path="event.status"] .desc'), true);
  });

  test("samples: both card callbacks verify and show their typed fields; the legacy one has no header", async () => {
    await sample("card.action.trigger");
    expectAllPass(await steps());
    assert.match(await text("#verdict-message"), /a callback: answer HTTP 200 with the toast and card/);
    assert.match(await value("event.action.tag"), /button/);
    await sample("card_action");
    expectAllPass(await steps(), ["decryption"]);
    assert.equal((await verdict()).code, "kind: card_action");
    assert.match(await value("event.open_message_id"), /^om_8baa3656c7b41900d29bf9104bf5310b/);
    assert.equal(await page.$('[data-path="header.token"]'), null);
  });

  test("sample: ticket updated shows the before → after diff", async () => {
    await sample("helpdesk.ticket.updated_v1");
    expectAllPass(await steps());
    const row = (field) => `.diff-table tr[data-field="${field}"]`;
    assert.match(await text(`${row("status")} td.before`), /processing \(2\)\s*处理中/);
    assert.match(await text(`${row("status")} td.after`), /closed by bot \(50\)\s*被机器人关闭/);
    assert.match(await text(`${row("stage")} td.after`), /human \(2\)/);
    assert.match(await text(`${row("status")} th`), /changed/);
    assert.match(await value("event.object.ticket_id"), /^6626871355780366331\b/);
    assert.match(await value("event.old_object.status"), /processing \(2\)/);
  });

  test("sample: ticket message keeps the 64-bit comment id exact, in the typed view, the JSON and the copies", async () => {
    await sample("helpdesk.ticket_message.created_v1");
    expectAllPass(await steps());
    assert.match(await value("event.ticket.comments[0].id"), /^7262656095919128579\b/);
    assert.match(await value("event.ticket.comments[0].user_id"), /^7262656095919128578\b/);
    assert.match(await value("event.ticket.comments[0].created_at"), /2023-08-02 10:07:17 UTC\s*local 2023-08-02 18:07:17 GMT\+8/);
    assert.match(await value("event.sender_type"), /guest \(2\)\s*用户/);
    assert.match(await value("event.ticket.ticket_id"), /^6626871355780366331\b/);
    assert.match(await value("event.ticket.agent_first_response_duration"), /123869 s\s*1 d 10 h 24 min 29 s/);
    assert.match(await text("#json"), /"id": 7262656095919128579,/);

    await page.click("#copy-json");
    await page.waitForFunction(() => document.getElementById("copy-json").textContent === "Copied");
    const copiedJson = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copiedJson, /"id": 7262656095919128579,/);
    assert.match(copiedJson, /"user_id": 7262656095919128578\n/);

    await page.click("#copy-typed");
    await page.waitForFunction(() => document.getElementById("copy-typed").textContent === "Copied");
    const typed = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
    assert.equal(typed.event.ticket.comments[0].id, "7262656095919128579");
    assert.equal(typed.raw, undefined, "the typed copy leaves out raw (it holds the token)");
  });

  test("sample: URL challenge passes, unsigned, and shows the response to send", async () => {
    await sample("url_verification");
    assert.equal((await verdict()).code, "kind: challenge");
    expectAllPass(await steps(), ["timestamp", "signature", "event_type", "typed_model"]);
    const response = JSON.parse(await text("#challenge-response"));
    assert.match(response.challenge, /^[0-9a-f]{8}-[0-9a-f]{4}-/);
    assert.match(await text("#json"), new RegExp(`"challenge": "${response.challenge}"`));
    assert.doesNotMatch(await text("#curl"), /X-Lark-Signature/);
    assert.match(await text("#expiry"), /Unsigned/);
  });

  test("one changed byte of the body fails the signature with its message", async () => {
    await sample("helpdesk.ticket.created_v1");
    const raw = await page.inputValue("#raw");
    const at = raw.indexOf('{"encrypt":"') + 20;
    const tampered = raw.slice(0, at) + (raw[at] === "A" ? "B" : "A") + raw.slice(at + 1);
    assert.equal(tampered.length, raw.length);
    await setRaw(tampered);
    const v = await verdict();
    assert.equal(v.kind, "fail");
    assert.equal(v.code, "signature_mismatch");
    assert.match(v.text, /HTTP 401/);
    const byId = await stepsById();
    assert.equal(byId.signature.status, "fail");
    assert.match(byId.signature.text, /signature_mismatch/);
    assert.match(byId.signature.text, /does not match the body/);
    assert.match(byId.signature.text, /expected with Encrypt Key #1[\s\S]*[0-9a-f]{64}/);
    for (const id of ["body_json", "decryption", "typed_model"]) assert.equal(byId[id].status, "skip");
    assert.equal(await page.isHidden("#typed-card"), true);
  });

  test("a wrong Encrypt Key fails the signature; adding the right one as a second key (rotation) passes", async () => {
    await sample("helpdesk.ticket.created_v1");
    await settled(() => page.fill("#keys", "not-the-key"));
    assert.equal((await verdict()).code, "signature_mismatch");
    assert.equal((await stepsById()).signature.status, "fail");
    await settled(() => page.fill("#keys", `not-the-key\n${KEY}`));
    assert.equal((await verdict()).kind, "pass");
    assert.match((await stepsById()).signature.text, /matches Encrypt Key #2 of 2/);
    await settled(() => page.fill("#keys", KEY));
  });

  test("a stale timestamp fails; the 'now' override (seconds or ISO date) replays the capture", async () => {
    await sample("helpdesk.ticket.updated_v1");
    const ts = Number((await page.inputValue("#raw")).match(/X-Lark-Request-Timestamp: (\d+)/)[1]);
    await settled(() => page.fill("#now", String(ts + 1000)));
    const v = await verdict();
    assert.equal(v.code, "timestamp_out_of_range");
    assert.match(v.text, /HTTP 401/);
    const byId = await stepsById();
    assert.equal(byId.timestamp.status, "fail");
    assert.match(byId.timestamp.text, /1000 seconds in the past/);

    await settled(() => page.fill("#now", new Date((ts + 10) * 1000).toISOString()));
    assert.equal((await verdict()).kind, "pass");
    assert.match(await text("#now-parsed"), /UTC/);

    await settled(() => page.fill("#now", "yesterday-ish"));
    assert.equal((await verdict()).kind, "config");
    assert.equal(await page.getAttribute("#now", "aria-invalid"), "true");

    await settled(() => page.fill("#now", "1"));
    await settled(() => page.click("#now-from-request"));
    assert.equal(await page.inputValue("#now"), String(ts));
    assert.equal((await verdict()).kind, "pass");
    await settled(() => page.fill("#now", ""));
  });

  test("a plain body while an Encrypt Key is set is refused: plaintext_rejected", async () => {
    const plain = fixture("ticket_created_v1.json").replace("rvaYgkND1GOiu5MM0E1rncYC6PLtF7JV", TOKEN);
    await setRaw(`POST /webhook/event HTTP/1.1\nContent-Type: application/json\n\n${plain}`);
    const v = await verdict();
    assert.equal(v.code, "plaintext_rejected");
    assert.match(v.text, /HTTP 400/);
    const byId = await stepsById();
    assert.equal(byId.decryption.status, "fail");
    assert.match(byId.decryption.text, /plaintext_rejected[\s\S]*not encrypted/);
  });

  test("a raw capture with CRLF, mixed-case headers and unknown fields is verified and typed", async () => {
    // The documentation's example (comments as one object, 64-bit ids as numbers) plus a field the model does not know.
    const event = fixture("ticket_message_created_v1.json").replace('"ticket_type": 1,', '"ticket_type": 1,\n            "x_new_field": 12345678901234567891,');
    const now = Math.floor(Date.now() / 1000);
    const d = lark.createTestDelivery({ event, encryptKey: KEY, verificationToken: TOKEN, timestamp: now, nonce: "n0nce" });
    const capture =
      `POST /webhook/event HTTP/1.1\r\nhOsT: example.com\r\nx-lark-REQUEST-timestamp: ${d.headers["X-Lark-Request-Timestamp"]}\r\n` +
      `X-LARK-REQUEST-NONCE: ${d.headers["X-Lark-Request-Nonce"]}\r\nx-Lark-Signature: ${d.headers["X-Lark-Signature"]}\r\n` +
      `content-TYPE: application/json\r\nContent-Length: ${Buffer.byteLength(d.body)}\r\n\r\n${d.body}\r\n`;

    // The page's parser, in the page, on the exact CRLF text.
    const parsed = await page.evaluate(async (raw) => (await import("./larkhook/tools/http-request.mjs")).parseRawRequest(raw), capture);
    assert.equal(parsed.body, d.body);
    assert.equal(parsed.headers.length, 6);

    // Pasted into the form.
    await setRaw(capture);
    assert.equal((await verdict()).kind, "pass");
    expectAllPass(await steps());
    assert.match(await value("event.ticket.comments[0].id"), /^7262656095919128579\b/);
    assert.match(await value("event.ticket.status"), /closed by bot \(50\)\s*被机器人关闭/);
    assert.match(await text("#unrecognized-list"), /event\.ticket\.x_new_field = 12345678901234567891/);

    // Without the request line, LF only.
    const noRequestLine = capture.replace(/^POST[^\r]*\r\n/, "").replace(/\r\n/g, "\n");
    await setRaw(noRequestLine);
    assert.equal((await verdict()).kind, "pass");

    // The other input format receives the same delivery and still passes.
    await settled(() => page.check('input[name="mode"][value="split"]'));
    assert.equal(await page.inputValue("#body"), d.body);
    assert.match(await page.inputValue("#headers"), /^x-Lark-Signature: [0-9a-f]{64}$/m);
    assert.equal((await verdict()).kind, "pass");
    await settled(() => page.fill("#body", `${d.body} `));
    assert.equal((await verdict()).code, "signature_mismatch");
    await settled(() => page.fill("#body", d.body));
    assert.equal((await verdict()).kind, "pass");
    await settled(() => page.check('input[name="mode"][value="raw"]'));
    assert.equal((await verdict()).kind, "pass");
  });

  test("pasted curl -v traces, devtools curl and fetch copies and HAR files (tests/fixtures/captures) give the raw request's verdict", async () => {
    const captures = join(root, "tests", "fixtures", "captures");
    const paste = (name) => readFileSync(join(captures, name), "utf8");
    await settled(() => page.fill("#keys", "fixture-encrypt-key-7d41c2"));
    await settled(() => page.fill("#tokens", "fixture-verification-token-a93e05"));
    await settled(() => page.fill("#now", "1767225605"));
    try {
      for (const name of ["raw-crlf.http", "curl-v-7.88.txt", "curl-v-8.txt", "chrome-curl.sh", "firefox-curl.sh", "chrome-fetch.js", "chrome-fetch-node.js", "chrome.har", "base64-postdata.har"]) {
        await setRaw(paste(name));
        assert.equal((await verdict()).kind, "pass", name);
        expectAllPass(await steps());
        assert.match(await value("event.ticket.comments[0].id"), /^7262656095919128579\b/, name);
      }
      assert.match(await text("#input-notes"), /Read as a HAR file/);

      // Two POSTs in the HAR: nothing is checked until one is chosen.
      await setRaw(paste("firefox.har"));
      assert.equal((await verdict()).kind, "empty");
      assert.match((await verdict()).text, /holds 2 POST requests/);
      assert.equal(await page.isVisible("#entry"), true);
      await settled(() => page.selectOption("#entry", "2"));
      assert.equal((await verdict()).kind, "pass");
      await settled(() => page.selectOption("#entry", "1"));
      assert.equal((await verdict()).code, "kind: challenge");

      // The wrong token on the unsigned challenge: the failed check, and the endpoint's one answer.
      await settled(() => page.fill("#tokens", "some-other-verification-token"));
      const refused = await verdict();
      assert.equal(refused.code, "missing_signature");
      assert.match(await text("#verdict-step"), /token_mismatch/);
      assert.match(refused.text, /Refused at “Verification Token”[\s\S]*The endpoint answers[\s\S]*HTTP 401/);
      await settled(() => page.fill("#tokens", "fixture-verification-token-a93e05"));

      // A trailing line break an editor added: checked without it, and said so.
      await setRaw(paste("raw-editor-newline.http"));
      assert.equal((await verdict()).kind, "pass");
      assert.match(await text("#verdict-trimmed"), /ends with a line break that the signature does not cover/);
      assert.equal(await page.isHidden("#entry-pane"), true);
    } finally {
      await settled(() => page.fill("#keys", KEY));
      await settled(() => page.fill("#tokens", TOKEN));
      await settled(() => page.fill("#now", ""));
    }
  });

  test("the curl command replays a sample against a real endpoint (createHandler on 127.0.0.1)", { skip: !hasCurl() && "no curl on this machine" }, async () => {
    const seen = [];
    const endpoint = createServer(
      lark.toNodeListener(
        lark.createHandler({ encryptKey: KEY, verificationToken: TOKEN, on: { "*": (event) => seen.push(event.event_type) } }),
      ),
    );
    await new Promise((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
    try {
      const url = `http://127.0.0.1:${endpoint.address().port}/webhook/event`;
      await page.fill("#endpoint", url);
      for (const [id, expected] of [
        ["url_verification", /\{"challenge":"[0-9a-f-]{36}"\}/],
        ["helpdesk.ticket.updated_v1", /\{"ok":true\}/],
      ]) {
        await sample(id);
        const command = await text("#curl");
        assert.ok(command.startsWith(`curl -sS -i -X POST '${url}'`), command);
        const out = await run("bash", ["-c", command]);
        assert.match(out, /^HTTP\/1\.1 200/);
        assert.match(out, expected);
      }
      // A changed byte of the signed event is refused by the endpoint too.
      const raw = await page.inputValue("#raw");
      const at = raw.indexOf('{"encrypt":"') + 25;
      await setRaw(raw.slice(0, at) + (raw[at] === "A" ? "B" : "A") + raw.slice(at + 1));
      const refused = await run("bash", ["-c", await text("#curl")]);
      assert.match(refused, /^HTTP\/1\.1 401/);
      assert.match(refused, /"code":"signature_mismatch"/);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(seen, ["helpdesk.ticket.updated_v1"]);
    } finally {
      endpoint.closeAllConnections?.();
      await new Promise((resolve) => endpoint.close(resolve));
      await page.fill("#endpoint", "http://127.0.0.1:8787/webhook/event");
    }
  });

  test("screenshots of the passing and the failing state, desktop and phone; no sideways scrolling on a phone", async () => {
    mkdirSync(shots, { recursive: true });
    for (const [name, width] of [["desktop", 1280], ["phone", 375]]) {
      await page.setViewportSize({ width, height: name === "phone" ? 812 : 900 });
      await sample("helpdesk.ticket.updated_v1");
      assert.equal((await verdict()).kind, "pass");
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name}: no horizontal overflow (pass)`);
      await page.screenshot({ path: join(shots, `${name}-pass.png`), fullPage: true });

      const raw = await page.inputValue("#raw");
      const at = raw.indexOf('{"encrypt":"') + 30;
      await setRaw(raw.slice(0, at) + (raw[at] === "Q" ? "R" : "Q") + raw.slice(at + 1));
      assert.equal((await verdict()).code, "signature_mismatch");
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), `${name}: no horizontal overflow (fail)`);
      await page.screenshot({ path: join(shots, `${name}-fail.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  test("no request other than the page's own files, and none after it loaded; no console errors", async () => {
    assert.ok(loadedAt > 0);
    for (const url of requests) assert.ok(url.startsWith(`${origin}/`), `request outside the static server: ${url}`);
    assert.deepEqual(requests.slice(loadedAt), [], "requests after load");
    const files = new Set(requests.map((url) => new URL(url).pathname));
    for (const file of ["/", "/app.mjs", "/style.css", "/larkhook/index.browser.mjs", "/larkhook/larkhook_bg.wasm"]) assert.ok(files.has(file), `loaded ${file}`);
    assert.ok(served.every((line) => line.startsWith("GET /")), served.join("\n"));
    assert.deepEqual(problems, []);
  });
});
