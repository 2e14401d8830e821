// The Worker's local path, as examples/cloudflare-worker/README.md shows it:
// `cp .dev.vars.example .dev.vars`, fill it in, `npm run dev` (wrangler dev,
// the example's own wrangler), then `larkhook trigger` against it. Run in a
// copy of the example (its node_modules linked), so a developer's own
// .dev.vars is never touched; each `npm run dev` listens on a free port and
// is stopped by its process group. Also: without .dev.vars the 500 names
// both places secrets come from; .dev.vars and .wrangler/ are ignored by git.
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";

import { larkhook } from "./cli-helpers.mjs";
import { root } from "./helpers.mjs";
import { stopProcessGroup } from "./process-group.mjs";

const example = join(root, "examples", "cloudflare-worker");
const KEY = "worker-dev-encrypt-key-31f7";
const TOKEN = "worker-dev-verification-token-c20a";

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A copy of the example in a scratch directory, sharing its installed node_modules. */
function copyOfExample() {
  assert.ok(existsSync(join(example, "node_modules", ".bin", "wrangler")), "examples/cloudflare-worker has its own wrangler (`make examples` installs it, as its README's `npm install` does)");
  const dir = mkdtempSync(join(tmpdir(), "larkhook-worker-dev-"));
  for (const name of ["src", "wrangler.toml", "package.json", ".dev.vars.example"]) cpSync(join(example, name), join(dir, name), { recursive: true });
  symlinkSync(join(example, "node_modules"), join(dir, "node_modules"), "dir");
  return dir;
}

/** `npm run dev` in `dir` on free ports, with no LARK_* variable in its environment; resolves once wrangler is ready. */
async function npmRunDev(dir) {
  const [port, inspector] = [await freePort(), await freePort()];
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("LARK_")));
  const child = spawn("npm", ["run", "dev", "--", "--port", String(port), "--inspector-port", String(inspector)], {
    cwd: dir,
    env: { ...env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", CI: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const started = Date.now();
  while (!/Ready on http:\/\/\S+/.test(output)) {
    if (child.exitCode !== null) {
      await stopProcessGroup(child);
      assert.fail(`npm run dev exited with ${child.exitCode}:\n${output}`);
    }
    if (Date.now() - started > 90_000) {
      await stopProcessGroup(child);
      assert.fail(`npm run dev was not ready within 90 s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url: `http://localhost:${port}/webhook/event`,
    output: () => output,
    // npm, wrangler and workerd: the process group this test started.
    stop: () => stopProcessGroup(child),
  };
}

describe("the Worker locally: npm run dev with .dev.vars", () => {
  const dirs = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test("with .dev.vars (from .dev.vars.example): the challenge and a signed event are answered 200, the event logged as the README shows", async () => {
    const dir = copyOfExample();
    dirs.push(dir);
    const template = readFileSync(join(dir, ".dev.vars.example"), "utf8");
    writeFileSync(join(dir, ".dev.vars"), template.replace(/^LARK_ENCRYPT_KEY=$/m, `LARK_ENCRYPT_KEY=${KEY}`).replace(/^LARK_VERIFICATION_TOKEN=$/m, `LARK_VERIFICATION_TOKEN=${TOKEN}`));
    const dev = await npmRunDev(dir);
    try {
      assert.match(dev.output(), /Using secrets defined in \.dev\.vars/);
      const env = { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN };
      const challenge = await larkhook(["trigger", "challenge", "--url", dev.url, "--json"], { env });
      assert.equal(challenge.code, 0, challenge.stdout + challenge.stderr + dev.output());
      const [answered] = JSON.parse(challenge.stdout).deliveries;
      assert.equal(answered.status, 200);
      assert.deepEqual(JSON.parse(answered.answer), { challenge: answered.challenge });

      const event = await larkhook(["trigger", "created", "--url", dev.url, "--json"], { env });
      assert.equal(event.code, 0, event.stdout + event.stderr + dev.output());
      const [delivered] = JSON.parse(event.stdout).deliveries;
      assert.equal(delivered.status, 200);
      assert.equal(delivered.signed, true);
      // The line this example's README and the repository's README (step 5) show, with this event's id.
      const line = /`(ticket created: helpdesk\.ticket\.created_v1 \[<event_id>\] ticket …: created \(1\), stage bot)`/;
      const shown = line.exec(readFileSync(join(example, "README.md"), "utf8"))[1];
      assert.equal(line.exec(readFileSync(join(root, "README.md"), "utf8"))?.[1], shown, "README.md step 5 shows the Worker's line");
      const pattern = new RegExp(shown.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace("<event_id>", delivered.event_id).replace("…", ".*"));
      const start = Date.now();
      while (!pattern.test(dev.output()) && Date.now() - start < 5000) await new Promise((resolve) => setTimeout(resolve, 50));
      assert.match(dev.output(), pattern);
      for (const secret of [KEY, TOKEN]) assert.ok(!dev.output().includes(secret), "wrangler dev printed a secret");
    } finally {
      await dev.stop();
    }
  });

  test("without .dev.vars: 500 invalid_config naming .dev.vars (local) and wrangler secret put (deployed)", async () => {
    const dir = copyOfExample();
    dirs.push(dir);
    const dev = await npmRunDev(dir);
    try {
      const response = await fetch(dev.url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}" });
      assert.equal(response.status, 500);
      const body = await response.json();
      assert.equal(body.code, "invalid_config");
      assert.match(body.message, /running locally \(`npm run dev`\), put both in \.dev\.vars next to wrangler\.toml/);
      assert.match(body.message, /deployed, set them with `npx wrangler secret put LARK_ENCRYPT_KEY`/);
    } finally {
      await dev.stop();
    }
  });

  test(".dev.vars (and .dev.vars.<env>) and .wrangler/ are ignored by git; .dev.vars.example is not", () => {
    const check = (path) => {
      try {
        return execFileSync("git", ["check-ignore", "--no-index", path], { cwd: root, encoding: "utf8" }).trim() === path;
      } catch {
        return false;
      }
    };
    for (const path of ["examples/cloudflare-worker/.dev.vars", "examples/cloudflare-worker/.dev.vars.staging", "examples/cloudflare-worker/.wrangler/state/v3/do/x.sqlite", ".dev.vars"]) {
      assert.ok(check(path), `${path} is ignored`);
    }
    assert.equal(check("examples/cloudflare-worker/.dev.vars.example"), false);
  });
});
