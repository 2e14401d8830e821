// The long connection's place in the package: the frame codec is in the
// tools module only (the request-path module has none of it), importing
// larkhook loads no socket package, tests/vectors/frames.json is what its
// generator makes, and Deno and Bun run it with their own WebSocket against
// the stand-in platform.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { pkgDir, root } from "./helpers.mjs";
import { APP_ID, APP_SECRET, StandIn, eventJson } from "./longconn/standin.mjs";

const exportsOf = (file) => WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(join(pkgDir, file)))).map((e) => e.name);

test("the frame codec is in the tools module, not in the request-path module", () => {
  const requestPath = exportsOf("larkhook_bg.wasm");
  const tools = exportsOf("larkhook_tools_bg.wasm");
  for (const name of ["framereader_new", "framereader_read", "ackFrame", "pingFrame", "clientConfig"]) {
    assert.ok(tools.includes(name), `tools exports ${name}`);
    assert.ok(!requestPath.includes(name), `the request path does not export ${name}`);
  }
});

test("importing larkhook and creating a long connection loads no socket package (start() does)", () => {
  // In a process of its own: this one has ws loaded for the stand-in.
  const script = `import { createRequire } from "node:module";
const { createLongConnection } = await import(${JSON.stringify(join(pkgDir, "index.node.mjs"))});
createLongConnection({ appId: "cli_a1b2c3d4e5f60718", appSecret: "s" });
const cache = Object.keys(createRequire(import.meta.url).cache);
console.log(cache.some((p) => p.endsWith("tools-glue.cjs")), cache.filter((p) => /[\\\\/]ws[\\\\/]/.test(p)).length);`;
  assert.equal(execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" }).trim(), "false 0");
});

test("tests/vectors/frames.json is what tests/vectors/frames.mjs makes (protobufjs)", () => {
  const made = execFileSync(process.execPath, [join(root, "tests", "vectors", "frames.mjs")], { encoding: "utf8" });
  assert.equal(made, readFileSync(join(root, "tests", "vectors", "frames.json"), "utf8"));
});

const runtimes = {
  deno: [join(root, "node_modules", "@deno", "linux-x64-glibc", "deno"), ["run", "--allow-read", "--allow-env", "--allow-net=127.0.0.1"]],
  bun: [join(root, "node_modules", "@oven", "bun-linux-x64", "bin", "bun"), []],
};

for (const [name, [binary, flags]] of Object.entries(runtimes)) {
  test(`${name}: the long connection with the runtime's own WebSocket, an event acked 200`, async () => {
    const platform = await new StandIn({ config: { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 0, ReconnectNonce: 0 } }).start();
    const dir = mkdtempSync(join(tmpdir(), `larkhook-longconn-${name}-`));
    try {
      writeFileSync(
        join(dir, "listen.mjs"),
        `import { createLongConnection } from ${JSON.stringify(join(pkgDir, "index.node.mjs"))};
const domain = globalThis.Deno ? Deno.args[0] : process.argv[2];
const seen = [];
const connection = createLongConnection({ appId: ${JSON.stringify(APP_ID)}, appSecret: ${JSON.stringify(APP_SECRET)}, domain, onError() {}, on: { "*": (i) => void seen.push(i.event.ticket_id) } });
await connection.start();
while (seen.length === 0) await new Promise((r) => setTimeout(r, 20));
console.log(connection.status, seen.join(), await connection.stop());
`,
      );
      const child = promisify(execFile)(binary, [...flags, join(dir, "listen.mjs"), platform.base], { cwd: dir, env: { ...process.env, DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" }, timeout: 30_000 });
      await platform.connected(1, 20_000);
      const ack = await platform.send(eventJson(`ev-${name}`));
      assert.equal(ack?.code, 200);
      assert.ok(Number(ack.biz_rt) >= 0);
      const { stdout } = await child;
      assert.equal(stdout.trim(), "open 6626871355780366331 true");
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await platform.close();
    }
  });
}

test("CommonJS: require(\"larkhook\").createLongConnection opens the socket (ws imported from the bundle)", async () => {
  const { createLongConnection } = (await import("node:module")).createRequire(import.meta.url)(join(pkgDir, "index.node.cjs"));
  const platform = await new StandIn({ config: { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 0, ReconnectNonce: 0 } }).start();
  const connection = createLongConnection({ appId: APP_ID, appSecret: APP_SECRET, domain: platform.base, onError() {}, on: { "*": () => {} } });
  try {
    await connection.start();
    assert.equal((await platform.send(eventJson("ev-cjs")))?.code, 200);
  } finally {
    assert.equal(await connection.stop(), true);
    await platform.close();
  }
});
