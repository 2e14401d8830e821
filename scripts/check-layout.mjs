// Checks the source tree's shape (README.md, "Layout"):
//
// - no module cycle in the Rust crates (src/, bindings/wasm/src/), between
//   files or between a crate's top-level modules (src/verify/, src/decode/,
//   ..., and the files at the top);
// - no import cycle in the package's JavaScript (pkg-template/src/), between
//   files or between folders, every file in a folder, and no import that the
//   folder's README.md does not allow (its "May import:" line, the folders
//   named there in backquotes with a trailing slash);
// - no source file over 500 lines (generated files excepted).
// Function length is clippy's job for Rust (clippy.toml, too_many_lines).
//
//   node scripts/check-layout.mjs        (make test runs it through tests/js/layout.test.mjs)
//
// Dependency-free, and read from the source text. Rust: the paths in `use`
// declarations and in code (`crate::`, `super::`, `self::`, `$crate::`, a
// child module's name), each resolved to the file that defines the item,
// following re-exports (`pub use`), which are aliases and not dependencies
// themselves. Comments, strings and `#[cfg(test)]` items are left out: a
// unit test may use any part of the crate. A method called on a value is not
// a path, so a dependency only through one is not seen (diagnose/inspect.rs
// runs pipeline.rs's `Webhook::run` that way). JavaScript: relative
// specifiers of `import`, `export ... from`, `import()` and `require()`; a
// bare specifier (a package, or `larkhook` itself, which the command line
// uses as any user does) is not an edge.
import { existsSync, readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, posix, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";

/** The longest a source file may be (lines). */
export const MAX_FILE_LINES = 500;
/** The Rust crates whose modules are checked (each `<dir>/lib.rs`). */
const RUST_CRATES = ["src", "bindings/wasm/src"];
/** The package's JavaScript, one folder per part. */
const JS_SOURCE = "pkg-template/src";
/** Where source files are held to MAX_FILE_LINES. */
const SOURCE_DIRS = ["src", "bindings/wasm/src", "pkg-template/src", "scripts", "tests", "benches", "www-demo", "examples", "fuzz/fuzz_targets"];

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

// Installed packages and build output are not source.
const NOT_SOURCE = new Set(["node_modules", "target", "dist", ".next", ".wrangler"]);

function walk(dir, keep) {
  const found = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!NOT_SOURCE.has(name)) found.push(...walk(path, keep));
    }
    else if (keep(name)) found.push(path);
  }
  return found;
}

const toPosix = (path) => path.split(sep).join("/");

// ---- Rust -----------------------------------------------------------------

/**
 * Rust source with comments, string and character literals blanked out
 * (newlines kept, so that line numbers still hold).
 */
export function stripRust(text) {
  let out = "";
  let i = 0;
  const blank = (s) => s.replace(/[^\n]/g, " ");
  while (i < text.length) {
    const rest = text.slice(i, i + 3);
    if (rest.startsWith("//")) {
      const end = text.indexOf("\n", i);
      const stop = end < 0 ? text.length : end;
      out += blank(text.slice(i, stop));
      i = stop;
    } else if (rest.startsWith("/*")) {
      let depth = 0;
      let j = i;
      do {
        if (text.startsWith("/*", j)) {
          depth++;
          j += 2;
        } else if (text.startsWith("*/", j)) {
          depth--;
          j += 2;
        } else j++;
      } while (depth > 0 && j < text.length);
      out += blank(text.slice(i, j));
      i = j;
    } else {
      const raw = /^b?r(#*)"/.exec(text.slice(i, i + 40));
      const prev = text[i - 1] ?? " ";
      if (raw && !/\w/.test(prev)) {
        const close = `"${raw[1]}`;
        const end = text.indexOf(close, i + raw[0].length);
        const stop = end < 0 ? text.length : end + close.length;
        out += blank(text.slice(i, stop));
        i = stop;
      } else if (text[i] === '"') {
        let j = i + 1;
        while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
        out += blank(text.slice(i, j + 1));
        i = j + 1;
      } else if (text[i] === "'") {
        const char = /^'(?:\\(?:x[0-9a-fA-F]{2}|u\{[0-9a-fA-F]+\}|.)|[^\\'\n])'/u.exec(text.slice(i, i + 12));
        const length = char ? char[0].length : 1;
        out += char ? blank(char[0]) : "'";
        i += length;
      } else {
        out += text[i];
        i++;
      }
    }
  }
  return out;
}

/** `text` without its `#[cfg(test)]` (and `#[cfg(doctest)]`) items, brace-matched. */
function withoutTestItems(text) {
  let out = text;
  const attribute = /#\[cfg\((?:test|doctest)\)\]/g;
  for (let m = attribute.exec(out); m; m = attribute.exec(out)) {
    let j = m.index + m[0].length;
    let depth = 0;
    for (; j < out.length; j++) {
      if (out[j] === "{") depth++;
      else if (out[j] === "}" && --depth === 0) break;
      else if (out[j] === ";" && depth === 0) break;
    }
    out = out.slice(0, m.index) + out.slice(m.index, j + 1).replace(/[^\n]/g, " ") + out.slice(j + 1);
  }
  return out;
}

/** Expands a `use` tree (`a::{b, c::{self, D as E}}`) into its paths, each a list of segments. */
export function expandUseTree(tree) {
  const paths = [];
  const parse = (s, prefix) => {
    s = s.trim();
    const brace = s.indexOf("{");
    if (brace < 0) {
      const [path, alias] = s.split(/\s+as\s+/);
      const segments = path.split("::").map((x) => x.trim()).filter(Boolean);
      const full = segments[segments.length - 1] === "self" ? [...prefix, ...segments.slice(0, -1)] : [...prefix, ...segments];
      if (full.length > 0) paths.push({ segments: full, name: alias?.trim() ?? full[full.length - 1] });
      return;
    }
    const head = s.slice(0, brace).replace(/::\s*$/, "");
    const inner = s.slice(brace + 1, s.lastIndexOf("}"));
    const base = [...prefix, ...head.split("::").map((x) => x.trim()).filter(Boolean)];
    let depth = 0;
    let start = 0;
    for (let k = 0; k <= inner.length; k++) {
      const c = inner[k];
      if (c === "{") depth++;
      else if (c === "}") depth--;
      else if ((c === "," && depth === 0) || k === inner.length) {
        if (inner.slice(start, k).trim()) parse(inner.slice(start, k), base);
        start = k + 1;
      }
    }
  };
  parse(tree, []);
  return paths;
}

/** The crate's modules: module path (`crate`, `crate::model::codes`) -> its file and its code (comments, strings and tests left out). */
function rustModules(srcDir) {
  const modules = new Map();
  for (const file of walk(srcDir, (name) => name.endsWith(".rs"))) {
    const rel = toPosix(relative(srcDir, file)).replace(/\.rs$/, "");
    if (rel === "main") continue;
    const parts = rel.split("/");
    if (parts[parts.length - 1] === "mod" || rel === "lib") parts.pop();
    modules.set(["crate", ...parts].join("::"), { file, text: withoutTestItems(stripRust(readFileSync(file, "utf8"))) });
  }
  return modules;
}

/** A path as written in `module` (`super::x`, `crate::y`, `child::z`) as absolute segments, or null for another crate's. */
function absolutePath(module, segments, children) {
  const here = module.split("::");
  const [first, ...rest] = segments;
  if (first === "crate" || first === "$crate") return ["crate", ...rest];
  if (first === "self") return [...here, ...rest];
  if (first === "super") {
    let up = here.slice(0, -1);
    let tail = rest;
    while (tail[0] === "super") {
      up = up.slice(0, -1);
      tail = tail.slice(1);
    }
    return [...up, ...tail];
  }
  return children.has(first) ? [...here, ...segments] : null;
}

const segmentsOf = (text) => text.split("::").map((s) => s.trim()).filter(Boolean);

/** What one module's code names: its re-exports (name -> absolute path) and the absolute paths it uses. */
function pathsIn(module, text, children) {
  const reexports = new Map();
  const uses = [];
  let code = text;
  for (const m of text.matchAll(/(\bpub(?:\s*\([^)]*\))?\s+)?\buse\s+([^;]+);/g)) {
    for (const { segments, name } of expandUseTree(m[2])) {
      const path = absolutePath(module, segments, children);
      if (path && m[1]) reexports.set(name, path);
      else if (path) uses.push(path);
    }
    code = code.replace(m[0], " ".repeat(m[0].length));
  }
  for (const m of code.matchAll(/(?<![\w:])(\$crate|crate|super|self)((?:\s*::\s*\w+)+)/g)) {
    uses.push(absolutePath(module, [m[1], ...segmentsOf(m[2])], children));
  }
  // A child module's name used as a path (`codes::Status`) in code.
  for (const child of children) {
    for (const m of code.matchAll(new RegExp(`(?<![\\w:$])${child}((?:\\s*::\\s*\\w+)+)`, "g"))) {
      uses.push([...module.split("::"), child, ...segmentsOf(m[1])]);
    }
  }
  return { reexports, uses };
}

/**
 * The module graph of one Rust crate whose root is `srcDir/lib.rs`: one
 * node per file (its module path), and an edge where a file uses an item
 * another file defines. A `pub use` is an alias, not an edge: a path through
 * it leads to the file that defines the item.
 */
export function rustGraph(srcDir) {
  const modules = rustModules(srcDir);
  const childrenOf = (path) =>
    new Set([...modules.keys()].filter((m) => m.startsWith(`${path}::`) && !m.slice(path.length + 2).includes("::")).map((m) => m.split("::").pop()));
  const found = new Map([...modules].map(([module, { text }]) => [module, pathsIn(module, text, childrenOf(module))]));

  // The file that defines what `segments` names.
  const resolve = (segments, depth = 0) => {
    let module = "crate";
    for (let k = 1; k < segments.length; k++) {
      const next = `${module}::${segments[k]}`;
      if (modules.has(next)) {
        module = next;
        continue;
      }
      const alias = found.get(module)?.reexports.get(segments[k]);
      if (alias && depth < 16) return resolve([...alias, ...segments.slice(k + 1)], depth + 1);
      break;
    }
    return module;
  };

  const edges = new Map();
  for (const [module, { uses }] of found) {
    edges.set(module, new Set(uses.map((segments) => resolve(segments)).filter((target) => target !== module)));
  }
  const fileOf = new Map([...modules].map(([m, { file }]) => [m, file]));
  return { edges, fileOf };
}

/** The graph with each module replaced by its top-level module (`crate::decode::wire` -> `crate::decode`). */
export function collapse(edges, depth = 2) {
  const top = (m) => m.split("::").slice(0, depth).join("::");
  const out = new Map();
  for (const [from, targets] of edges) {
    const set = out.get(top(from)) ?? new Set();
    for (const to of targets) if (top(to) !== top(from)) set.add(top(to));
    out.set(top(from), set);
  }
  return out;
}

// ---- JavaScript -----------------------------------------------------------

const JS_FILE = /\.(mjs|cjs|js|d\.ts|d\.mts|d\.cts)$/;

/** The relative specifiers a JavaScript or TypeScript file imports (static, dynamic, require, re-export, type import). */
export function jsImports(text) {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, " ")).replace(/(^|[^:"'`\\])\/\/.*$/gm, "$1");
  const found = new Set();
  const patterns = [/\bfrom\s*["']([^"']+)["']/g, /\bimport\s*["']([^"']+)["']/g, /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g, /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g];
  for (const pattern of patterns) for (const m of code.matchAll(pattern)) if (m[1].startsWith(".")) found.add(m[1]);
  return [...found];
}

/**
 * The import graph of the package's JavaScript under `srcDir` (paths
 * relative to it), and the specifiers that name no file there (the
 * wasm-bindgen glue and the .wasm files, put beside the entries by
 * scripts/build-pkg.mjs).
 */
export function jsGraph(srcDir) {
  const edges = new Map();
  const external = [];
  for (const file of walk(srcDir, (name) => JS_FILE.test(name))) {
    const from = toPosix(relative(srcDir, file));
    const targets = new Set();
    for (const spec of jsImports(readFileSync(file, "utf8"))) {
      const to = posix.normalize(posix.join(posix.dirname(from), spec));
      const candidates = [to, `${to}.d.ts`, `${to}.mjs`, `${to}/index.mjs`];
      const hit = candidates.find((c) => existsSync(join(srcDir, c)) && statSync(join(srcDir, c)).isFile());
      if (hit) targets.add(hit);
      else external.push({ from, spec });
    }
    edges.set(from, targets);
  }
  return { edges, external };
}

/**
 * Each folder's rule, from the "May import:" line of its README.md: the
 * folders (backticked) its files may import besides their own.
 */
export function folderRules(srcDir) {
  const rules = new Map();
  for (const name of readdirSync(srcDir).sort()) {
    const readme = join(srcDir, name, "README.md");
    if (!statSync(join(srcDir, name)).isDirectory()) continue;
    if (!existsSync(readme)) {
      rules.set(name, null);
      continue;
    }
    const line = readFileSync(readme, "utf8").match(/^May import:(.*)$/m);
    rules.set(name, line ? [...line[1].matchAll(/`([\w-]+)\/`/g)].map((m) => m[1]) : null);
  }
  return rules;
}

/** Imports that cross from one folder into another its rule does not list, and files outside any folder. */
export function ruleBreaks(edges, rules) {
  const breaks = [];
  const folder = (file) => (file.includes("/") ? file.split("/")[0] : null);
  for (const [from, targets] of edges) {
    const own = folder(from);
    if (own === null) {
      breaks.push(`${from}: outside every folder (each file belongs to one part)`);
      continue;
    }
    const allowed = rules.get(own);
    if (!allowed) {
      breaks.push(`${own}/: no README.md with a "May import:" line`);
      continue;
    }
    for (const to of targets) {
      const theirs = folder(to);
      if (theirs !== own && !allowed.includes(theirs)) breaks.push(`${from} imports ${to}: ${own}/ may import ${allowed.map((f) => `${f}/`).join(", ") || "nothing outside itself"}`);
    }
  }
  return [...new Set(breaks)];
}

// ---- shared ---------------------------------------------------------------

/** The cycles of a graph: its strongly connected components of more than one node (Tarjan). */
export function cycles(edges) {
  let index = 0;
  const stack = [];
  const state = new Map();
  const found = [];
  const visit = (v) => {
    state.set(v, { index, low: index, onStack: true });
    index++;
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!state.has(w)) {
        visit(w);
        state.get(v).low = Math.min(state.get(v).low, state.get(w).low);
      } else if (state.get(w).onStack) state.get(v).low = Math.min(state.get(v).low, state.get(w).index);
    }
    if (state.get(v).low === state.get(v).index) {
      const component = [];
      let w;
      do {
        w = stack.pop();
        state.get(w).onStack = false;
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of edges.keys()) if (!state.has(v)) visit(v);
  return found;
}

/** Source files (Rust, JavaScript, TypeScript) under `dirs` longer than `MAX_FILE_LINES`, generated files excepted; paths relative to `base`. */
export function longFiles(dirs, base = root) {
  const long = [];
  for (const dir of dirs) {
    for (const file of walk(dir, (name) => /\.(rs|mjs|cjs|js|ts)$/.test(name) && !/\.generated\./.test(name))) {
      const lines = readFileSync(file, "utf8").split("\n").length - 1;
      if (lines > MAX_FILE_LINES) long.push(`${toPosix(relative(base, file))}: ${lines} lines`);
    }
  }
  return long;
}

/** The folders a graph's files (`folder/file.mjs`) are in, and which import which. */
function folderGraph(edges) {
  const folder = (file) => file.split("/")[0];
  const out = new Map();
  for (const [from, targets] of edges) {
    const set = out.get(folder(from)) ?? new Set();
    for (const to of targets) if (folder(to) !== folder(from)) set.add(folder(to));
    out.set(folder(from), set);
  }
  return out;
}

/** The Rust crates' problems: module cycles between files, and between a crate's top-level modules (its stage folders). */
function rustProblems(base) {
  const found = [];
  for (const crate of RUST_CRATES.filter((c) => existsSync(join(base, c, "lib.rs")))) {
    const { edges, fileOf } = rustGraph(join(base, crate));
    const name = (m) => toPosix(relative(base, fileOf.get(m)));
    const fileCycles = cycles(edges);
    for (const cycle of fileCycles) found.push(`Rust module cycle: ${cycle.map(name).join(" <-> ")}`);
    // Between folders, the cycles that are not already a cycle between files.
    const inCycle = new Map(fileCycles.flatMap((cycle, i) => cycle.map((m) => [m, i])));
    const rest = new Map([...edges].map(([m, targets]) => [m, new Set([...targets].filter((t) => !inCycle.has(m) || inCycle.get(m) !== inCycle.get(t)))]));
    for (const cycle of cycles(collapse(rest))) found.push(`Rust folder cycle in ${crate}/: ${cycle.join(" <-> ")}`);
  }
  return found;
}

/** The package's JavaScript problems: import cycles between files and between folders, and imports a folder's rule does not allow. */
function javaScriptProblems(base) {
  const js = join(base, JS_SOURCE);
  if (!existsSync(js)) return [];
  const { edges } = jsGraph(js);
  return [
    ...cycles(edges).map((cycle) => `JavaScript import cycle: ${cycle.join(" <-> ")}`),
    ...cycles(folderGraph(edges)).map((cycle) => `JavaScript folder cycle: ${cycle.join(" <-> ")}`),
    ...ruleBreaks(edges, folderRules(js)).map((b) => `JavaScript import not allowed: ${b}`),
  ];
}

/** Every problem in the tree at `base`, as messages (none when the layout holds). */
export function problems(base = root) {
  const sources = SOURCE_DIRS.map((d) => join(base, d)).filter(existsSync);
  return [...rustProblems(base), ...javaScriptProblems(base), ...longFiles(sources, base).map((f) => `file over ${MAX_FILE_LINES} lines: ${f}`)];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = problems();
  for (const problem of found) console.error(problem);
  if (found.length > 0) process.exit(1);
  console.log(`check-layout: no module cycle, no import against a folder's rule, no file over ${MAX_FILE_LINES} lines`);
}
