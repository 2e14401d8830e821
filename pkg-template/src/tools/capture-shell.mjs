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
  const split = new Splitter(text);
  split.run();
  const notes = [];
  if (split.expansions.size > 0) {
    notes.push(`The command uses ${[...split.expansions].join(", ")}: shell expansions are kept as written, not expanded.`);
  }
  if (split.latin1) notes.push("\\xHH escapes that are not UTF-8 were read as the characters U+0080–U+00FF (how Firefox writes them).");
  if (!split.complete) notes.push("A quote in the command is not closed: the paste may be cut short.");
  return { words: split.words, end: split.i, notes, complete: split.complete };
}

/** The state of splitting one command: where it is in `text`, the word being built, the words so far. */
class Splitter {
  constructor(text) {
    this.text = text;
    this.words = [];
    this.expansions = new Set();
    this.latin1 = false;
    this.word = new WordBuilder();
    this.i = 0;
    this.complete = true;
    this.skipNextWord = false;
  }

  endWord() {
    if (!this.word.started) return;
    const { value, latin1: fallback } = this.word.finish();
    this.latin1 ||= fallback;
    if (this.skipNextWord) this.skipNextWord = false;
    else this.words.push(value);
    this.word = new WordBuilder();
  }

  run() {
    const { text } = this;
    while (this.i < text.length) {
      const c = text[this.i];
      if (c === "\\") this.backslash();
      else if (c === "'") this.singleQuoted();
      else if (c === "$" && text[this.i + 1] === "'") this.ansiQuoted();
      else if (c === '"' || (c === "$" && text[this.i + 1] === '"')) this.doubleQuoted(c === "$" ? 2 : 1);
      else if (BLANK.test(c) || c === "\r") {
        this.endWord();
        this.i++;
      } else if (COMMAND_END.test(c)) {
        this.endWord();
        break;
      } else if (c === "#" && !this.word.started) {
        const newline = text.indexOf("\n", this.i);
        this.i = newline < 0 ? text.length : newline;
      } else if (c === "<" || c === ">" || (/[0-9]/.test(c) && !this.word.started && /^[0-9]+[<>]/.test(text.slice(this.i, this.i + 4)))) {
        this.redirection();
      } else if (c === "&" && text[this.i + 1] === ">") {
        this.endWord();
        this.i += 2;
        this.skipNextWord = true;
      } else {
        if (c === "$" || c === "`") this.expansions.add(expansionAt(text, this.i));
        this.word.text(c);
        this.i++;
      }
    }
    this.endWord();
  }

  backslash() {
    const { text, i } = this;
    if (text[i + 1] === "\n") this.i += 2;
    else if (text[i + 1] === "\r" && text[i + 2] === "\n") this.i += 3;
    else {
      if (i + 1 < text.length) this.word.text(text[i + 1]);
      this.i += 2;
    }
  }

  singleQuoted() {
    const { text } = this;
    const close = text.indexOf("'", this.i + 1);
    if (close < 0) {
      this.complete = false;
      this.word.text(text.slice(this.i + 1));
      this.i = text.length;
      return;
    }
    this.word.text(text.slice(this.i + 1, close));
    this.i = close + 1;
  }

  ansiQuoted() {
    const { text, word } = this;
    let i = this.i + 2;
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
    if (i >= text.length) this.complete = false;
    this.i = i + 1;
  }

  doubleQuoted(opening) {
    const { text, word } = this;
    let i = this.i + opening;
    word.text("");
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\" && /[$`"\\\n]/.test(text[i + 1] ?? "")) {
        if (text[i + 1] !== "\n") word.text(text[i + 1]);
        i += 2;
        continue;
      }
      if (text[i] === "$" || text[i] === "`") this.expansions.add(expansionAt(text, i));
      word.text(text[i]);
      i++;
    }
    if (i >= text.length) this.complete = false;
    this.i = i + 1;
  }

  // A redirection: the operator, then its target word, both dropped.
  redirection() {
    this.endWord();
    const operator = /^[0-9]*(?:>>|>&|<&|>\||<>|>|<)(?:[0-9-]+(?=[\s;&|]|$))?/.exec(this.text.slice(this.i));
    this.i += operator ? operator[0].length : 1;
    if (operator && !/&[0-9-]+$/.test(operator[0])) this.skipNextWord = true;
  }
}

/** The expansion starting at `text[i]` (`$NAME`, `${…}`, `$(`, a backquote), for a note. */
function expansionAt(text, i) {
  const m = /^(?:\$\{[^}]*\}?|\$\(|\$[A-Za-z_][A-Za-z0-9_]*|\$.|`)/.exec(text.slice(i));
  return m ? m[0] : text[i];
}
