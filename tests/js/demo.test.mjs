// `make demo` as a user runs it while another example is in use: it must
// install only what it serves (examples/node-server), never touching another
// example's installed packages (a Worker under `npm run dev` loses wrangler
// and workerd otherwise). The demo runs on a free port and is stopped by the
// process group this test started; `build` and `www` are taken as made
// (`make test` made them), and pkg/package.json is touched so that make
// sees the examples' installs as out of date, as after any `make build`.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, readlinkSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import { pkgDir, root } from "./helpers.mjs";
import { stopProcessGroup } from "./process-group.mjs";

const worker = join(root, "examples", "cloudflare-worker", "node_modules");

/** What is installed in a node_modules folder: names (scopes expanded) and where links point. */
function installed(dir) {
  const names = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith("@") && entry.isDirectory()) {
      for (const inner of readdirSync(join(dir, entry.name))) names.push(`${entry.name}/${inner}`);
    } else names.push(entry.isSymbolicLink() ? `${entry.name} -> ${readlinkSync(join(dir, entry.name))}` : entry.name);
  }
  return names.sort();
}

test("make demo installs only examples/node-server: the Worker example's packages stay as they are", async () => {
  // A package the Worker example's package.json does not list, as a user's own `npm install x` leaves: npm prunes such packages.
  const planted = join(worker, "larkhook-demo-test-planted");
  mkdirSync(planted, { recursive: true });
  writeFileSync(join(planted, "package.json"), JSON.stringify({ name: "larkhook-demo-test-planted", version: "1.0.0" }));
  const before = installed(worker);
  const now = new Date();
  utimesSync(join(pkgDir, "package.json"), now, now);

  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(MAKEFLAGS|MAKELEVEL|MFLAGS|LARK_)/.test(name)));
  const child = spawn("make", ["--no-print-directory", "-o", "build", "-o", "www", "demo"], {
    cwd: root,
    env: { ...env, PORT: "0" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  try {
    const started = Date.now();
    while (!/larkhook demo listening on http:\/\/127\.0\.0\.1:\d+/.test(output)) {
      if (child.exitCode !== null) assert.fail(`make demo exited with ${child.exitCode}:\n${output}`);
      if (Date.now() - started > 120_000) assert.fail(`make demo did not start within 120 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.doesNotMatch(output, /--prefix examples\/cloudflare-worker/, "make demo ran an install in the Worker example");
    assert.deepEqual(installed(worker), before, "the Worker example's node_modules changed");
  } finally {
    // make, and the server it started: the process group this test started.
    await stopProcessGroup(child);
    rmSync(planted, { recursive: true, force: true });
  }
});
