// Assembles www-dist/: the payload inspector (www-demo/) plus the package
// files its browser entry needs, under www-dist/larkhook/. Any static host
// can serve the result (it needs .wasm served as application/wasm for the
// fast path; the glue falls back otherwise). Run after `make build`.
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const source = join(root, "www-demo");
const pkg = join(root, "pkg");
const out = join(root, "www-dist");

// The browser entry and everything it imports, and nothing else.
const PACKAGE_FILES = ["index.browser.mjs", "glue.mjs", "api.mjs", "handler.mjs", "consumer.mjs", "dedup.mjs", "delivery.mjs", "answers.mjs", "redis.mjs", "codes.generated.mjs", "larkhook_bg.wasm"];
// What the page is made of (no docs, no editor files).
const PAGE_FILE = /\.(html|mjs|css|svg)$/;

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
  copyFileSync(join(pkg, name), join(staging, "larkhook", name));
  count++;
}

rmSync(out, { recursive: true, force: true });
renameSync(staging, out);
console.log(`build-www: ${count} files in ${out}`);
