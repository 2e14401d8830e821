// Packaging: `npm pack` the built package, install the tarball into
// throwaway projects, and run the README's snippets unchanged in Node (CJS
// and ESM), a Worker bundled by wrangler and run in workerd (miniflare),
// Deno, Bun and Chromium; type-check a usage file with tsc --strict.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { extname, join } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";

import { pkgDir, root } from "./helpers.mjs";

const bin = (name) => join(root, "node_modules", ".bin", name);
const deno = join(root, "node_modules", "@deno", "linux-x64-glibc", "deno");
const bun = join(root, "node_modules", "@oven", "bun-linux-x64", "bin", "bun");

let work;
let tarball;

/** The README's code block after `<!-- snippet: name -->`. */
function snippet(name) {
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const match = new RegExp(`<!-- snippet: ${name} -->\\n\`\`\`js\\n([\\s\\S]*?)\`\`\``).exec(readme);
  assert.ok(match, `README snippet ${name}`);
  return match[1];
}

function run(cmd, args, cwd, env = {}) {
  return execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** The Worker that `wrangler deploy --dry-run --outdir dist` bundled in `dir`, run by workerd (miniflare) with `bindings`. */
async function bundledWorker(dir, bindings) {
  const { Miniflare } = await import(join(root, "node_modules", "miniflare", "dist", "src", "index.js"));
  return new Miniflare({
    modules: true,
    scriptPath: join(dir, "dist", "worker.js"),
    modulesRoot: join(dir, "dist"),
    modulesRules: [{ type: "CompiledWasm", include: ["**/*.wasm"] }],
    compatibilityDate: "2026-04-01",
    bindings,
    host: "127.0.0.1",
    port: 0,
    cf: false,
  });
}

/** A fresh project with the tarball installed. */
function project(name, manifest = {}) {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, ...manifest }));
  run("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball], dir);
  return dir;
}

before(() => {
  work = mkdtempSync(join(tmpdir(), "larkhook-pack-"));
  const [packed] = JSON.parse(run("npm", ["pack", pkgDir, "--pack-destination", work, "--json"], root));
  tarball = join(work, packed.filename);
});

after(() => rmSync(work, { recursive: true, force: true }));

test("larkhook/schemas/<event_type>.json resolves from an installed package, for import and require", () => {
  const dir = project("schemas");
  writeFileSync(
    join(dir, "check.mjs"),
    `import { createRequire } from "node:module";
     import trigger from "larkhook/schemas/card.action.trigger.json" with { type: "json" };
     const require = createRequire(import.meta.url);
     const legacy = require("larkhook/schemas/card_action.json");
     console.log(JSON.stringify([trigger.$schema, trigger.$id, legacy.$id, legacy.properties.action.$ref]));`,
  );
  assert.deepEqual(JSON.parse(run(process.execPath, ["check.mjs"], dir)), [
    "https://json-schema.org/draft/2020-12/schema",
    "urn:larkhook:schema:card.action.trigger",
    "urn:larkhook:schema:card_action",
    "#/$defs/CallbackAction",
  ]);
});

test("the tarball holds what the package needs, and nothing else", () => {
  const listing = run("tar", ["-tzf", tarball], work).trim().split("\n").map((f) => f.replace(/^package\//, "")).sort();
  assert.deepEqual(listing, [
    "LICENSE-APACHE",
    "LICENSE-MIT",
    "README.md",
    "api.mjs",
    "cli.mjs",
    "cli/common.mjs",
    "cli/helpdesk.mjs",
    "cli/inspect.mjs",
    "cli/listen.mjs",
    "cli/main.mjs",
    "cli/schema.mjs",
    "cli/trigger.mjs",
    "core/answers.mjs",
    "core/boundary.mjs",
    "core/codes.generated.mjs",
    "core/crypto.mjs",
    "core/errors.mjs",
    "core/labels.mjs",
    "core/test-delivery.mjs",
    "core/wasm.mjs",
    "core/webhook.mjs",
    "endpoint/callback.mjs",
    "endpoint/consumer.mjs",
    "endpoint/dedup.mjs",
    "endpoint/delivery.mjs",
    "endpoint/handler.mjs",
    "endpoint/lease.mjs",
    "endpoint/redis.mjs",
    "endpoint/summarize.mjs",
    "glue.cjs",
    "glue.mjs",
    "index.browser.mjs",
    "index.d.cts",
    "index.d.mts",
    "index.node.cjs",
    "index.node.mjs",
    "index.workerd.mjs",
    "larkhook_bg.wasm",
    "larkhook_tools_bg.wasm",
    "node/listener.mjs",
    "package.json",
    "schemas/card.action.trigger.json",
    "schemas/card_action.json",
    "schemas/helpdesk.notification.approve_v1.json",
    "schemas/helpdesk.ticket.created_v1.json",
    "schemas/helpdesk.ticket.updated_v1.json",
    "schemas/helpdesk.ticket_message.created_v1.json",
    "tools-glue.cjs",
    "tools-glue.mjs",
    "tools-slot.mjs",
    "tools.browser.mjs",
    "tools.node.cjs",
    "tools.node.mjs",
    "tools.workerd.mjs",
    "tools/capture-curl.mjs",
    "tools/capture-fetch.mjs",
    "tools/capture-har.mjs",
    "tools/capture-shell.mjs",
    "tools/capture.mjs",
    "tools/http-request.mjs",
    "tools/samples.mjs",
  ]);
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  const conditions = Object.keys(manifest.exports["."]);
  assert.deepEqual(conditions, ["types", "workerd", "worker", "node", "browser", "default"], "types first, workerd before browser");
  assert.equal(manifest.dependencies, undefined, "no runtime dependencies");
});

test("the larkhook bin from the tarball: executable, `npx larkhook --help` in a fresh project", () => {
  const mode = run("tar", ["-tvzf", tarball, "package/cli.mjs"], work).trim();
  assert.match(mode, /^-rwxr-xr-x /, "cli.mjs is executable in the tarball");
  const manifest = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8"));
  assert.deepEqual(manifest.bin, { larkhook: "./cli.mjs" });
  const dir = project("bin");
  // --offline: npx must find the installed bin, never fetch a package of that name.
  const help = run("npx", ["--offline", "larkhook", "--help"], dir);
  for (const command of ["trigger", "inspect", "helpdesk"]) assert.match(help, new RegExp(`^  ${command} `, "m"));
  assert.equal(run(join(dir, "node_modules", ".bin", "larkhook"), ["--version"], dir).trim(), manifest.version);
});

test("Node without the optional peer ws: importing larkhook works, and start() says to install ws", async () => {
  // The endpoint call answers; opening the socket then needs ws, which this project lacks.
  const server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ code: 0, data: { URL: "ws://127.0.0.1:9/ws?service_id=1", ClientConfig: { PingInterval: 120 } } }));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const dir = project("no-ws", { type: "module" });
    writeFileSync(
      join(dir, "index.mjs"),
      `import { createLongConnection } from "larkhook";
const connection = createLongConnection({ appId: "cli_a1b2c3d4e5f60718", appSecret: "s", domain: process.argv[2], onError() {} });
try { await connection.start(); } catch (e) { console.log(e.code, connection.status, /npm install ws/.test(e.message)); }
`,
    );
    const { stdout } = await promisify(execFile)(process.execPath, ["index.mjs", `http://127.0.0.1:${server.address().port}`], { cwd: dir });
    assert.equal(stdout.trim(), "unsupported_runtime failed true");
  } finally {
    server.close();
  }
});

test("Node CommonJS: the README snippet, unchanged", () => {
  const dir = project("node-cjs");
  writeFileSync(join(dir, "index.cjs"), snippet("node-cjs"));
  assert.equal(run(process.execPath, ["index.cjs"], dir).trim(), '{"challenge":"ping"}');
});

test("Node ES modules: the README snippet, unchanged", () => {
  const dir = project("node-esm", { type: "module" });
  writeFileSync(join(dir, "index.mjs"), snippet("node-esm"));
  assert.equal(run(process.execPath, ["index.mjs"], dir).trim(), "ticket 6626871355780366331: closed by bot");
});

test("Deno and Bun run the ES module snippet; Bun the CommonJS one", () => {
  const dir = project("other-runtimes", { type: "module" });
  writeFileSync(join(dir, "index.mjs"), snippet("node-esm"));
  writeFileSync(join(dir, "index.cjs"), snippet("node-cjs"));
  const expected = "ticket 6626871355780366331: closed by bot";
  assert.equal(run(deno, ["run", "--allow-read", "--allow-env", "index.mjs"], dir, { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" }).trim(), expected);
  assert.equal(run(bun, ["index.mjs"], dir).trim(), expected);
  assert.equal(run(bun, ["index.cjs"], dir).trim(), '{"challenge":"ping"}');
});

test("createHandler serves under Deno.serve and Bun.serve", () => {
  const dir = project("servers", { type: "module" });
  writeFileSync(
    join(dir, "serve.mjs"),
    `import { createHandler, createTestDelivery } from "larkhook";
const seen = [];
const handler = createHandler({ encryptKey: "k", verificationToken: "t", on: { "*": (m) => seen.push(m.event_type) } });
const event = { schema: "2.0", header: { event_id: "e1", event_type: "helpdesk.ticket.created_v1" }, event: { ticket_id: "1" } };
const d = createTestDelivery({ event, encryptKey: "k", verificationToken: "t" });
const server = globalThis.Deno
  ? Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, handler)
  : Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: handler });
const port = globalThis.Deno ? server.addr.port : server.port;
const post = () => fetch(\`http://127.0.0.1:\${port}/webhook/event\`, { method: "POST", headers: d.headers, body: d.body });
const first = await post();
const again = await post();
const bad = await fetch(\`http://127.0.0.1:\${port}/webhook/event\`, { method: "POST", body: "x" });
await new Promise((resolve) => setTimeout(resolve, 50));
console.log(first.status, again.status, bad.status, (await bad.json()).code, seen.join());
globalThis.Deno ? await server.shutdown() : server.stop(true);
`,
  );
  const expected = "200 200 401 missing_signature helpdesk.ticket.created_v1";
  assert.equal(run(deno, ["run", "--allow-read", "--allow-env", "--allow-net=127.0.0.1", "serve.mjs"], dir, { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" }).trim(), expected);
  assert.equal(run(bun, ["serve.mjs"], dir).trim(), expected);
});

test("Cloudflare Worker: the README snippet bundled by wrangler, run in workerd", async () => {
  const dir = project("worker", { type: "module" });
  writeFileSync(join(dir, "worker.mjs"), snippet("worker"));
  writeFileSync(join(dir, "wrangler.toml"), 'name = "larkhook-readme"\nmain = "worker.mjs"\ncompatibility_date = "2026-04-01"\n');
  run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], dir, { WRANGLER_SEND_METRICS: "false", CI: "1" });

  const { createTestDelivery } = await import(join(dir, "node_modules", "larkhook", "index.node.mjs"));
  const mf = await bundledWorker(dir, { LARK_ENCRYPT_KEY: "worker-key", LARK_VERIFICATION_TOKEN: "worker-token" });
  try {
    const post = (d) => mf.dispatchFetch("http://127.0.0.1/webhook/event", { method: "POST", headers: d.headers, body: d.body });
    const options = { encryptKey: "worker-key", verificationToken: "worker-token" };
    const challenge = await post(createTestDelivery({ event: { type: "url_verification", challenge: "w1" }, ...options }));
    assert.equal(challenge.status, 200);
    assert.deepEqual(await challenge.json(), { challenge: "w1" });
    const event = { schema: "2.0", header: { event_id: "e", event_type: "helpdesk.ticket.created_v1" }, event: { ticket_id: "1" } };
    const ok = await post(createTestDelivery({ event, ...options }));
    assert.equal(ok.status, 200);
    const wrongKey = await post(createTestDelivery({ event, ...options, encryptKey: "other" }));
    assert.equal(wrongKey.status, 401);
    assert.equal((await wrongKey.json()).code, "signature_mismatch");
  } finally {
    await mf.dispose();
  }
});

test("Cloudflare Worker: the tools come from larkhook/tools; the main entry alone carries only the request-path module and says where they are", async () => {
  const answer = async (name, source) => {
    const dir = project(name, { type: "module" });
    writeFileSync(join(dir, "worker.mjs"), source);
    writeFileSync(join(dir, "wrangler.toml"), `name = "${name}"\nmain = "worker.mjs"\ncompatibility_date = "2026-04-01"\n`);
    run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], dir, { WRANGLER_SEND_METRICS: "false", CI: "1" });
    const mf = await bundledWorker(dir, {});
    try {
      const wasm = readdirSync(join(dir, "dist")).filter((f) => f.endsWith(".wasm"));
      return { body: await (await mf.dispatchFetch("http://127.0.0.1/")).json(), wasm };
    } finally {
      await mf.dispose();
    }
  };
  const main = await answer(
    "worker-main",
    `import { createTestDelivery } from "larkhook";
export default { fetch() { try { createTestDelivery({ event: {} }); return Response.json({}); } catch (e) { return Response.json({ code: e.code, message: e.message }); } } };
`,
  );
  assert.equal(main.body.code, "invalid_argument");
  assert.match(main.body.message, /import them from "larkhook\/tools"/);
  assert.deepEqual(main.wasm.map((f) => statSync(join(work, "worker-main", "dist", f)).size), [statSync(join(pkgDir, "larkhook_bg.wasm")).size], "only the request-path module");
  // The long connection stays out of a Worker: neither its code nor its socket package (not installed here) is bundled.
  const bundle = readFileSync(join(work, "worker-main", "dist", "worker.js"), "utf8");
  assert.doesNotMatch(bundle, /createLongConnection|callback\/ws\/endpoint|FrameReader|["']ws["']/);
  const tools = await answer(
    "worker-tools",
    `import { LarkWebhook, createTestDelivery } from "larkhook/tools";
export default {
  fetch() {
    const options = { encryptKey: "k", verificationToken: "t" };
    const d = createTestDelivery({ event: { schema: "2.0", header: { event_id: "e", event_type: "helpdesk.ticket.created_v1" }, event: { ticket_id: "1" } }, ...options });
    const hook = new LarkWebhook(options);
    return Response.json({ kind: hook.parse(d).kind, steps: hook.inspect(d).steps.length, verdict: hook.inspect(d).result.kind });
  },
};
`,
  );
  assert.deepEqual(tools.body, { kind: "event", steps: 11, verdict: "event" });
  assert.equal(tools.wasm.length, 2, "both modules");
});

test("Cloudflare Worker: a legacy card callback parses with only \"larkhook\" imported (issue 20), the request-path module alone bundled", async () => {
  const dir = project("worker-legacy-card", { type: "module" });
  writeFileSync(
    join(dir, "worker.mjs"),
    `import { LarkWebhook } from "larkhook";
export default {
  async fetch(request, env) {
    try {
      const m = await new LarkWebhook({ verificationToken: env.TOKEN }).parseRequest(request);
      return Response.json({ kind: m.kind, event_type: m.event_type, typed: m.typed, event: m.event, raw: m.raw });
    } catch (e) {
      return Response.json({ code: e.code, message: e.message }, { status: e.status });
    }
  },
};
`,
  );
  writeFileSync(join(dir, "wrangler.toml"), 'name = "worker-legacy-card"\nmain = "worker.mjs"\ncompatibility_date = "2026-04-01"\n');
  run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", "dist"], dir, { WRANGLER_SEND_METRICS: "false", CI: "1" });
  const wasm = readdirSync(join(dir, "dist")).filter((f) => f.endsWith(".wasm"));
  assert.deepEqual(wasm.map((f) => statSync(join(dir, "dist", f)).size), [statSync(join(pkgDir, "larkhook_bg.wasm")).size], "only the request-path module");

  const token = "worker-legacy-token";
  const mf = await bundledWorker(dir, { TOKEN: token });
  try {
    // Signed here with node:crypto, as the platform signs it: SHA-1 over
    // timestamp, nonce, Verification Token and the raw body, 40 hex digits.
    const body = readFileSync(join(root, "tests", "fixtures", "card_action_legacy.json"), "utf8").trim();
    const post = (secret) => {
      const timestamp = String(Math.floor(Date.now() / 1000));
      const signature = createHash("sha1").update(`${timestamp}nonce-w${secret}${body}`).digest("hex");
      const headers = { "X-Lark-Request-Timestamp": timestamp, "X-Lark-Request-Nonce": "nonce-w", "X-Lark-Signature": signature, "Content-Type": "application/json" };
      return mf.dispatchFetch("http://127.0.0.1/webhook/card", { method: "POST", headers, body });
    };
    const ok = await post(token);
    const answer = await ok.json();
    assert.equal(ok.status, 200, JSON.stringify(answer));
    assert.deepEqual(answer, { kind: "card_action", event_type: "card_action", typed: true, event: JSON.parse(body), raw: body });
    const forged = await post("another-token");
    assert.equal(forged.status, 401);
    assert.equal((await forged.json()).code, "signature_mismatch");
  } finally {
    await mf.dispose();
  }
});

test("TypeScript (strict, exactOptionalPropertyTypes): narrowing works and misuse fails, for import and require", () => {
  const dir = project("types", { type: "module" });
  const usage = readFileSync(join(root, "tests", "types", "usage.ts"), "utf8");
  writeFileSync(join(dir, "usage.mts"), usage);
  writeFileSync(join(dir, "usage.cts"), usage);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        exactOptionalPropertyTypes: true,
        noEmit: true,
        module: "nodenext",
        moduleResolution: "nodenext",
        target: "es2022",
        lib: ["es2022", "dom"],
        skipLibCheck: false,
        // @types/node from the workspace: the usage file serves node:http.
        typeRoots: [join(root, "node_modules", "@types")],
        types: ["node"],
      },
      files: ["usage.mts", "usage.cts"],
    }),
  );
  try {
    run(bin("tsc"), ["-p", "tsconfig.json"], dir);
  } catch (e) {
    assert.fail(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
  // The check can fail: a wrong narrowing is reported.
  writeFileSync(join(dir, "usage.mts"), `${usage}\nimport type { Inbound as I } from "larkhook";\ndeclare const x: I;\nif (x.kind === "event" && x.event_type === "helpdesk.ticket.created_v1") { const n: number | undefined = x.event.ticket_id; }\n`);
  assert.throws(() => run(bin("tsc"), ["-p", "tsconfig.json"], dir), (e) => /usage\.mts\(\d+,\d+\): error TS2322: Type 'string \| undefined' is not assignable/.test(e.stdout));
});

test("Chromium: the browser entry loads the wasm next to it and parses", async () => {
  const dir = project("browser", { type: "module" });
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html><meta charset="utf-8"><script type="module">
      import { LarkWebhook, createTestDelivery } from "./node_modules/larkhook/index.browser.mjs";
      const d = createTestDelivery({ event: { type: "url_verification", challenge: "b1" }, encryptKey: "k" });
      document.title = JSON.stringify(new LarkWebhook({ encryptKey: "k" }).parse(d).response);
    </script>`,
  );
  const types = { ".html": "text/html", ".mjs": "text/javascript", ".wasm": "application/wasm" };
  const server = createServer((req, res) => {
    const file = join(dir, decodeURIComponent(new URL(req.url, "http://x").pathname));
    try {
      statSync(file);
      res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
      res.end(readFileSync(file));
    } catch {
      res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { chromium } = await import(join(root, "node_modules", "playwright-core", "index.mjs"));
  const profile = mkdtempSync(join(tmpdir(), "larkhook-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${server.address().port}/index.html`);
    await page.waitForFunction(() => document.title.startsWith("{"), null, { timeout: 15_000 });
    assert.equal(await page.title(), '{"challenge":"b1"}');
  } finally {
    await browser.close();
    server.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test("sizes stay within budget (deterministic, no timing)", () => {
  const budget = JSON.parse(readFileSync(join(root, "benches", "size-budget.json"), "utf8"));
  const gzipped = (file) => Number(run("bash", ["-c", `gzip -9c '${join(pkgDir, file)}' | wc -c`], root).trim());
  for (const [file, raw, gzip] of [
    ["larkhook_bg.wasm", budget.wasm_raw_bytes, budget.wasm_gzip_bytes],
    ["larkhook_tools_bg.wasm", budget.tools_wasm_raw_bytes, budget.tools_wasm_gzip_bytes],
  ]) {
    const size = statSync(join(pkgDir, file)).size;
    assert.ok(size <= raw, `${file} ${size} B > budget ${raw} B`);
    const compressed = gzipped(file);
    assert.ok(compressed <= gzip, `${file} gzip ${compressed} B > budget ${gzip} B`);
  }
  const tgz = statSync(tarball).size;
  assert.ok(tgz <= budget.tarball_bytes, `tarball ${tgz} B > budget ${budget.tarball_bytes} B`);
});

// Issue 17 Contract 7 and the size budget: the request path names the kind
// of a wrong value and never formats the value itself (src/decode/expect.rs).
// serde's own messages quote it ("invalid type: floating point `1.5`"), and
// with them come Rust's float formatter and its tables (51.0 KB raw, 25.1 KB
// gzip of the module, BENCHMARKS.md); their pieces must not be in it.
test("the request-path module carries none of serde's value-quoting messages", () => {
  const wasm = readFileSync(join(pkgDir, "larkhook_bg.wasm"));
  for (const piece of ["floating point `", "integer `", "boolean `", "character `"]) {
    assert.equal(wasm.indexOf(Buffer.from(piece)), -1, `serde's "${piece}…" in larkhook_bg.wasm`);
  }
  // The core's own message is there, as the Rust tests expect it.
  assert.notEqual(wasm.indexOf(Buffer.from("invalid type: ")), -1);
});
