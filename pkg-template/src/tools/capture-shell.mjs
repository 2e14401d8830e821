// Reading a pasted bash command (a devtools "Copy as cURL (bash)", or the
// command line above a `curl -v` trace) into its words, as bash would split
// and unquote them, without running anything. Pure functions, no I/O; ES
// module only, shared by `larkhook inspect` and the payload inspector.
//
// Bash's rules (bash(1), QUOTING): '…' is literal; "…" keeps `\` only before
// $ ` " \ and a newline; $'…' is ANSI-C quoting (\n, \xHH, \uHHHH, \NNN, …);
// a backslash outside quotes escapes the next character, and a
// backslash-newline joins lines. Expansions ($VAR, $(…), `…`) are kept as
// written and reported: a devtools copy never contains one.

const encoder = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** Characters that end a word outside quotes. */
const BLANK = /[ \t]/;
/** Characters that end the command outside quotes (a list or pipeline operator, a newline). */
const COMMAND_END = /[\n;&|]/;

/**
 * Collects one word: text, plus single bytes from `\xHH` and `\NNN`
 * escapes (which bash emits as raw bytes, not characters).
 */
class WordBuilder {
  parts = [];
  hasBytes = false;
  started = false;

  text(s) {
    this.started = true;
    if (s !== "") this.parts.push(s);
  }

  byte(value) {
    this.started = true;
    this.hasBytes = true;
    this.parts.push(value & 0xff);
  }

  /**
   * The word as a string. Raw bytes are decoded as UTF-8 together with the
   * text around them, as bash hands them to the program; when they are not
   * UTF-8 (Firefox writes U+0080–U+00FF as `\xHH`, meaning the character),
   * each such byte is taken as that character and `latin1` is set.
   */
  finish() {
    if (!this.hasBytes) return { value: this.parts.join(""), latin1: false };
    const chunks = this.parts.map((p) => (typeof p === "number" ? Uint8Array.of(p) : encoder.encode(p)));
    const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of chunks) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    try {
      return { value: strictUtf8.decode(bytes), latin1: false };
    } catch {
      return { value: this.parts.map((p) => (typeof p === "number" ? String.fromCharCode(p) : p)).join(""), latin1: true };
    }
  }
}

/** Reads `count` at most digits of `radix` from `text` at `i`: `{ value, end }` or undefined. */
function digits(text, i, count, radix) {
  const pattern = radix === 8 ? /[0-7]/ : /[0-9A-Fa-f]/;
  let end = i;
  while (end < text.length && end - i < count && pattern.test(text[end])) end++;
  if (end === i) return undefined;
  return { value: Number.parseInt(text.slice(i, end), radix), end };
}

/** One ANSI-C escape at `text[i]` (the character after the backslash) into `word`; returns the index after it. */
function ansiEscape(text, i, word) {
  const c = text[i];
  const simple = { a: "\x07", b: "\b", e: "\x1b", E: "\x1b", f: "\f", n: "\n", r: "\r", t: "\t", v: "\v", "\\": "\\", "'": "'", '"': '"', "?": "?" };
  if (Object.hasOwn(simple, c)) {
    word.text(simple[c]);
    return i + 1;
  }
  if (/[0-7]/.test(c)) {
    const octal = digits(text, i, 3, 8);
    word.byte(octal.value);
    return octal.end;
  }
  if (c === "x") {
    const hex = digits(text, i + 1, 2, 16);
    if (!hex) {
      word.text("\\x");
      return i + 1;
    }
    word.byte(hex.value);
    return hex.end;
  }
  if (c === "u" || c === "U") {
    const hex = digits(text, i + 1, c === "u" ? 4 : 8, 16);
    if (!hex || hex.value > 0x10ffff) {
      word.text(`\\${c}`);
      return i + 1;
    }
    word.text(String.fromCodePoint(hex.value));
    return hex.end;
  }
  if (c === "c" && i + 1 < text.length) {
    word.text(String.fromCharCode(text.charCodeAt(i + 1) & 0x1f));
    return i + 2;
  }
  // Bash keeps an unknown escape as written.
  word.text(`\\${c ?? ""}`);
  return i + 1;
}

/**
 * Splits the first command in `text` into words.
 *
 * Returns `{ words, end, notes, complete }`: the words unquoted, `end` the
 * index in `text` just after the command, `complete` false when a quote was
 * left open (the paste was cut short). Redirections (`2>&1`, `> file`) are
 * dropped; a comment (`#` at a word's start) ends the line.
 */
export function splitCommand(text) {
  const words = [];
  const notes = [];
  const expansions = new Set();
  let latin1 = false;
  let word = new WordBuilder();
  let i = 0;
  let complete = true;
  let skipNextWord = false;

  const endWord = () => {
    if (!word.started) return;
    const { value, latin1: fallback } = word.finish();
    latin1 ||= fallback;
    if (skipNextWord) skipNextWord = false;
    else words.push(value);
    word = new WordBuilder();
  };

  while (i < text.length) {
    const c = text[i];
    if (c === "\\") {
      if (text[i + 1] === "\n") i += 2;
      else if (text[i + 1] === "\r" && text[i + 2] === "\n") i += 3;
      else {
        if (i + 1 < text.length) word.text(text[i + 1]);
        i += 2;
      }
      continue;
    }
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close < 0) {
        complete = false;
        word.text(text.slice(i + 1));
        i = text.length;
        break;
      }
      word.text(text.slice(i + 1, close));
      i = close + 1;
      continue;
    }
    if (c === "$" && text[i + 1] === "'") {
      i += 2;
      word.text("");
      while (i < text.length && text[i] !== "'") {
        if (text[i] === "\\" && i + 1 < text.length) i = ansiEscape(text, i + 1, word);
        else {
          const next = text.slice(i).search(/[\\']/);
          const stop = next < 0 ? text.length : i + next;
          word.text(text.slice(i, stop));
          i = stop;
          if (text[i] === "\\" && i + 1 >= text.length) i++;
        }
      }
      if (i >= text.length) complete = false;
      i++;
      continue;
    }
    if (c === '"' || (c === "$" && text[i + 1] === '"')) {
      i += c === "$" ? 2 : 1;
      word.text("");
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && /[$`"\\\n]/.test(text[i + 1] ?? "")) {
          if (text[i + 1] !== "\n") word.text(text[i + 1]);
          i += 2;
          continue;
        }
        if (text[i] === "$" || text[i] === "`") expansions.add(expansionAt(text, i));
        word.text(text[i]);
        i++;
      }
      if (i >= text.length) complete = false;
      i++;
      continue;
    }
    if (BLANK.test(c) || c === "\r") {
      endWord();
      i++;
      continue;
    }
    if (COMMAND_END.test(c)) {
      endWord();
      break;
    }
    if (c === "#" && !word.started) {
      const newline = text.indexOf("\n", i);
      i = newline < 0 ? text.length : newline;
      continue;
    }
    if (c === "<" || c === ">" || (/[0-9]/.test(c) && !word.started && /^[0-9]+[<>]/.test(text.slice(i, i + 4)))) {
      // A redirection: the operator, then its target word, both dropped.
      endWord();
      const operator = /^[0-9]*(?:>>|>&|<&|>\||<>|>|<)(?:[0-9-]+(?=[\s;&|]|$))?/.exec(text.slice(i));
      i += operator ? operator[0].length : 1;
      if (operator && !/&[0-9-]+$/.test(operator[0])) skipNextWord = true;
      continue;
    }
    if (c === "&" && text[i + 1] === ">") {
      endWord();
      i += 2;
      skipNextWord = true;
      continue;
    }
    if (c === "$" || c === "`") expansions.add(expansionAt(text, i));
    word.text(c);
    i++;
  }
  endWord();
  if (expansions.size > 0) {
    notes.push(`The command uses ${[...expansions].join(", ")}: shell expansions are kept as written, not expanded.`);
  }
  if (latin1) notes.push("\\xHH escapes that are not UTF-8 were read as the characters U+0080–U+00FF (how Firefox writes them).");
  if (!complete) notes.push("A quote in the command is not closed: the paste may be cut short.");
  return { words, end: i, notes, complete };
}

/** The expansion starting at `text[i]` (`$NAME`, `${…}`, `$(`, a backquote), for a note. */
function expansionAt(text, i) {
  const m = /^(?:\$\{[^}]*\}?|\$\(|\$[A-Za-z_][A-Za-z0-9_]*|\$.|`)/.exec(text.slice(i));
  return m ? m[0] : text[i];
}
