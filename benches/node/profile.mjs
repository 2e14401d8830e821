// Where the time goes in one larkhook parse under Node: a V8 CPU profile
// (node --cpu-prof) of a loop of parses, summarized by function, with the
// wasm functions named.
//
//   node benches/node/profile.mjs [--id message] [--seconds 4] [--top 30]
//
// pkg/larkhook_bg.wasm has no name section (wasm-opt --strip-debug), so this
// profiles a copy of pkg/ whose .wasm is the same wasm-bindgen output
// (target/bindgen/web) optimized with the same wasm-opt flags but keeping the
// names. Not part of `make bench` (the profiler slows everything down); the
// shares are what matter, not the absolute times.
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { NOW, buildDeliveries, parseArgs, pkgDir, root } from "./deliveries.mjs";

const args = parseArgs(process.argv.slice(2));

if (args.child) {
  // The profiled process: parse one delivery in a loop for --seconds.
  const lark = await import(pathToFileURL(join(args.child, "index.node.mjs")).href);
  const d = buildDeliveries(lark, { include: [args.id] })[args.id];
  const hook = new lark.LarkWebhook(d.options);
  const delivery = { headers: d.headers, body: d.body, now: NOW };
  const until = performance.now() + Number(args.seconds) * 1000;
  let n = 0;
  while (performance.now() < until) {
    for (let i = 0; i < 100; i++) hook.parse(delivery);
    n += 100;
  }
  process.stdout.write(JSON.stringify({ parses: n }));
  process.exit(0);
}

const ID = args.id ?? "message";
const SECONDS = Number(args.seconds ?? 4);
const TOP = Number(args.top ?? 30);
const work = join(root, "target", "bench", "profile");
const copy = join(work, "pkg");
rmSync(work, { recursive: true, force: true });
mkdirSync(copy, { recursive: true });
// The package's modules, in their folders, without its .wasm files.
cpSync(pkgDir, copy, { recursive: true, filter: (f) => !f.endsWith(".wasm") });
// The tools module builds the deliveries; it is not profiled.
copyFileSync(join(pkgDir, "larkhook_tools_bg.wasm"), join(copy, "larkhook_tools_bg.wasm"));
const require = createRequire(join(root, "package.json"));
const wasmOpt = join(dirname(require.resolve("binaryen/package.json")), "bin", "wasm-opt");
// The flags of scripts/build-pkg.mjs, without --strip-debug, and -g to keep the names.
execFileSync(process.execPath, [
  wasmOpt, "-O3", "-g", "--strip-producers", "--enable-bulk-memory", "--enable-nontrapping-float-to-int", "--enable-sign-ext",
  "--enable-mutable-globals", "--enable-multivalue", "--enable-reference-types", "--enable-simd",
  join(root, "target", "bindgen", "web", "larkhook_bg.wasm"), "-o", join(copy, "larkhook_bg.wasm"),
]);

const profDir = join(work, "cpuprofile");
const self = fileURLToPath(import.meta.url);
const r = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-dir", profDir, "--cpu-prof-interval", "50", self, "--child", copy, "--id", ID, "--seconds", String(SECONDS)], { encoding: "utf8" });
if (r.status !== 0) throw new Error(r.stderr);
const { parses } = JSON.parse(r.stdout);
const [file] = readdirSync(profDir).filter((f) => f.endsWith(".cpuprofile"));
const profile = JSON.parse(readFileSync(join(profDir, file), "utf8"));

// Self and inclusive time per function.
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const name = (n) => {
  const f = n.callFrame;
  const where = f.url ? ` ${f.url.replace(/^.*\//, "")}` : "";
  return `${f.functionName || "(anonymous)"}${f.url.startsWith("wasm") ? " [wasm]" : where}`;
};
const selfTime = new Map();
const inclusive = new Map();
let total = 0;
for (let i = 0; i < profile.samples.length; i++) {
  const dt = profile.timeDeltas[i] ?? 0;
  let node = byId.get(profile.samples[i]);
  total += dt;
  selfTime.set(name(node), (selfTime.get(name(node)) ?? 0) + dt);
  const seen = new Set();
  for (let id = node.id; id !== undefined; id = parent.get(id)) {
    const nm = name(byId.get(id));
    if (!seen.has(nm)) {
      seen.add(nm);
      inclusive.set(nm, (inclusive.get(nm) ?? 0) + dt);
    }
  }
}
const perParse = (us) => `${(us / parses).toFixed(2).padStart(7)} µs/parse`;
const pct = (us) => `${((100 * us) / total).toFixed(1).padStart(5)}%`;
const summary = { id: ID, parses, totalUs: total, self: [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, TOP), inclusive: [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, TOP) };
writeFileSync(join(work, "summary.json"), JSON.stringify(summary, null, 2));
console.log(`${parses} parses of ${ID} in ${(total / 1e6).toFixed(2)} s sampled (${perParse(total).trim()} under the profiler)`);
console.log(`\nSelf time, top ${TOP}:`);
for (const [n, us] of summary.self) console.log(`  ${pct(us)} ${perParse(us)}  ${n}`);
console.log(`\nInclusive time, top ${TOP}:`);
for (const [n, us] of summary.inclusive) console.log(`  ${pct(us)} ${perParse(us)}  ${n}`);
console.log(`\nProfile: ${join(profDir, file)} (open in Chrome DevTools)`);

