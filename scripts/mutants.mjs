// Mutation check of the delivery guarantee: each mutant below breaks one
// part of it in a copy of the built package, and tests/js/delivery.test.mjs
// (the fault-injection suite) must fail against it. The unmutated copy runs
// first and must pass. Not part of `make test` (about 45 s per run); run it
// after `make build`:
//
//   node scripts/mutants.mjs [--only name,name]
//
// Exits non-zero when the baseline fails or a mutant survives.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const pkg = join(root, "pkg");
const suite = join(root, "tests", "js", "delivery.test.mjs");

/** Each mutant: edits of the package's JavaScript (sources and bundles alike; whitespace as either writes it). */
const MUTANTS = [
  {
    name: "done-2h",
    what: "done ids kept 2 h instead of 8 h",
    edits: [[/DEDUP_TTL_SECONDS\s*=\s*8\s*\*\s*60\s*\*\s*60/g, "DEDUP_TTL_SECONDS = 2 * 60 * 60"]],
  },
  {
    name: "window-2.5h",
    what: "signed deliveries accepted 2.5 h old instead of 7.5 h",
    edits: [[/RETRY_WINDOW_SECONDS\s*=\s*7\.5\s*\*\s*60\s*\*\s*60/g, "RETRY_WINDOW_SECONDS = 2.5 * 60 * 60"]],
  },
  {
    name: "release-any-owner",
    what: "release frees the lease whoever holds it (memory and Redis stores)",
    edits: [
      [/if\s*\(\s*owner\s*===\s*(?:void 0|undefined)\s*\|\|\s*entry\.owner\s*===\s*String\(owner\)\s*\)/g, "if (true)"],
      [/\(ARGV\[1\] ~= '' and v == ARGV\[2\] \.\. ARGV\[1\]\)/g, "(true)"],
    ],
  },
  {
    name: "begin-not-atomic",
    what: "MemoryDedupStore.begin checks, then writes its lease a moment later",
    edits: [
      [
        /this\.#write\(eventId,\s*\{\s*until:\s*now\s*\+\s*leaseSeconds\s*\*\s*(?:1e3|1000),\s*owner:\s*String\(owner\)\s*\}\);\s*return\s*"new";?/g,
        'return Promise.resolve().then(() => { this.#write(eventId, { until: now + leaseSeconds * 1000, owner: String(owner) }); return "new"; });',
      ],
    ],
  },
  {
    name: "lease-1ms",
    what: "every lease taken for 1 ms",
    edits: [[/store\.begin\(eventId,\s*leaseSeconds,\s*owner\)/g, "store.begin(eventId, 0.001, owner)"]],
  },
];

function files(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return files(path);
    return /\.(mjs|cjs|js)$/.test(name) ? [path] : [];
  });
}

/** A copy of pkg/ with `edits` applied; throws when an edit matches nowhere, or not in the Node entry the suite loads. */
function mutatedCopy(edits) {
  const dir = mkdtempSync(join(tmpdir(), "larkhook-mutant-"));
  cpSync(pkg, dir, { recursive: true });
  for (const [pattern, replacement] of edits) {
    let hits = 0;
    let inEntry = false;
    for (const file of files(dir)) {
      const text = readFileSync(file, "utf8");
      const mutated = text.replace(pattern, replacement);
      if (mutated !== text) {
        hits += 1;
        if (file.endsWith("index.node.mjs")) inEntry = true;
        writeFileSync(file, mutated);
      }
    }
    if (hits === 0 || !inEntry) throw new Error(`mutation ${pattern} matched ${hits} file(s)${inEntry ? "" : ", not index.node.mjs"}: update scripts/mutants.mjs`);
  }
  return dir;
}

/** Runs the suite against `dir`: whether it passed, and the tests that failed. */
function runSuite(dir) {
  const started = Date.now();
  const result = spawnSync(process.execPath, ["--test", suite], { cwd: root, env: { ...process.env, LARKHOOK_PKG_DIR: dir }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  // Tests fail at the second level (inside each describe) or at the top (the file's own tests).
  const failed = [...result.stdout.matchAll(/^(?: {4})?not ok \d+ - (.*)$/gm)].map((m) => m[1]).filter((name) => !name.startsWith("/"));
  const tail = `${result.stdout}\n${result.stderr}`.trim().split("\n").slice(-15).join("\n");
  return { passed: result.status === 0, failed, tail, seconds: Math.round((Date.now() - started) / 1000) };
}

const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1].split(",") : undefined;
const chosen = MUTANTS.filter((m) => !only || only.includes(m.name));

const baselineDir = mutatedCopy([]);
const baseline = runSuite(baselineDir);
rmSync(baselineDir, { recursive: true, force: true });
console.log(`baseline (unmutated copy of pkg/): ${baseline.passed ? "passes" : `FAILS: ${baseline.failed.join("; ")}`} (${baseline.seconds} s)`);
let survivors = baseline.passed ? 0 : 1;
for (const mutant of chosen) {
  const dir = mutatedCopy(mutant.edits);
  const { passed, failed, tail, seconds } = runSuite(dir);
  rmSync(dir, { recursive: true, force: true });
  // Killed means a test's assertion failed; a suite that broke without one proves nothing.
  const killed = !passed && failed.length > 0;
  if (!killed) survivors += 1;
  const verdict = passed ? "SURVIVED: tests/js/delivery.test.mjs passes" : killed ? `killed (${seconds} s); failing:` : `the suite broke without a failing test (${seconds} s):\n${tail}`;
  console.log(`\n${mutant.name}: ${mutant.what}\n  ${verdict}`);
  for (const name of failed) console.log(`    - ${name}`);
}
process.exit(survivors === 0 ? 0 : 1);
