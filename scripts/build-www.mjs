// Assembles www-dist/: the payload inspector (www-demo/) plus the package
// files its browser entry needs, under www-dist/larkhook/. Any static host
// can serve the result (it needs .wasm served as application/wasm for the
// fast path; the glue falls back otherwise). Run after `make build`.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "www-demo");
const pkg = join(root, "pkg");
const out = join(root, "www-dist");

// The package files the page loads (`./larkhook/...` in www-demo/), and
// everything they import or fetch (`./x.mjs`, `../core/x.mjs`, `./x.wasm`),
// found by following the imports: nothing else, and nothing listed by hand.
// Paths are relative to pkg/, whose folders are kept.
function packageFiles() {
  const found = new Set();
  const pending = [];
  const refer = (name) => {
    if (!found.has(name)) {
      found.add(name);
      pending.push(name);
    }
  };
  for (const name of readdirSync(source).filter((f) => PAGE_FILE.test(f))) {
    for (const [, file] of readFileSync(join(source, name), "utf8").matchAll(/["']\.?\/?larkhook\/([\w./-]+)["']/g)) refer(file);
  }
  while (pending.length > 0) {
    const name = pending.pop();
    if (!name.endsWith(".mjs") || !existsSync(join(pkg, name))) continue;
    for (const [, spec] of readFileSync(join(pkg, name), "utf8").matchAll(/["'](\.\.?\/[\w./-]+\.(?:mjs|wasm))["']/g)) {
      refer(posix.normalize(posix.join(posix.dirname(name), spec)));
    }
  }
  return [...found].sort();
}

// What the page is made of (no docs, no editor files).
const PAGE_FILE = /\.(html|mjs|css|svg)$/;

const PACKAGE_FILES = packageFiles();
const missing = PACKAGE_FILES.filter((name) => !existsSync(join(pkg, name)));
if (missing.length > 0) {
  console.error(`build-www: pkg/ lacks ${missing.join(", ")}: run \`make build\` first`);
  process.exit(1);
}

// Build next to the target and swap it in, so that a server reading
// www-dist/ never sees it half-written.
const staging = `${out}.tmp-${process.pid}`;
rmSync(staging, { recursive: true, force: true });
mkdirSync(join(staging, "larkhook"), { recursive: true });

let count = 0;
for (const name of readdirSync(source)) {
  if (!PAGE_FILE.test(name) || !statSync(join(source, name)).isFile()) continue;
  copyFileSync(join(source, name), join(staging, name));
  count++;
}
for (const name of PACKAGE_FILES) {
  mkdirSync(dirname(join(staging, "larkhook", name)), { recursive: true });
  copyFileSync(join(pkg, name), join(staging, "larkhook", name));
  count++;
}

rmSync(out, { recursive: true, force: true });
renameSync(staging, out);
console.log(`build-www: ${count} files in ${out}`);
