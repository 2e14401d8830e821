// Pretty-printing JSON text without parsing it into JavaScript values.
//
// `JSON.parse` turns 7262656095919128579 into 7262656095919128000: a
// pretty-printer built on it would show the wrong id. This one tokenizes the
// text and re-indents it, copying every string and number token verbatim.
// Pure functions, no DOM.

const WS = new Set([" ", "\t", "\n", "\r"]);
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const LITERAL = /true|false|null/y;

/**
 * The tokens of a JSON text, or throws a SyntaxError saying where it stops
 * being JSON. Token: `{ type: "punct" | "string" | "number" | "literal", text }`.
 * Checks the grammar too (a stack of objects and arrays), so that what is
 * printed is JSON and not just a run of tokens.
 */
export function tokenize(text) {
  const reader = new Reader(text);
  reader.value();
  reader.skip();
  if (reader.i < text.length) reader.fail("text after the JSON value");
  return reader.tokens;
}

/** Reads one JSON value from `text`, appending its tokens. */
class Reader {
  constructor(text) {
    this.text = text;
    this.i = 0;
    this.tokens = [];
  }

  fail(what) {
    const before = this.text.slice(0, this.i);
    const line = before.split("\n").length;
    const column = this.i - before.lastIndexOf("\n");
    throw new SyntaxError(`${what} at line ${line}, column ${column}`);
  }

  skip() {
    while (this.i < this.text.length && WS.has(this.text[this.i])) this.i++;
  }

  punct(text) {
    this.tokens.push({ type: "punct", text });
    this.i++;
  }

  string() {
    const { text } = this;
    const start = this.i++;
    while (this.i < text.length) {
      const c = text.charCodeAt(this.i);
      if (c === 0x22) {
        this.i++;
        return text.slice(start, this.i);
      }
      if (c === 0x5c) {
        const next = text[this.i + 1];
        if (next === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(this.i + 2, this.i + 6))) this.fail("bad \\u escape");
          this.i += 6;
        } else if ('"\\/bfnrt'.includes(next ?? "x")) {
          this.i += 2;
        } else {
          this.fail("bad escape");
        }
        continue;
      }
      if (c < 0x20) this.fail("control character in a string");
      this.i++;
    }
    this.fail("unterminated string");
  }

  value() {
    this.skip();
    const c = this.text[this.i];
    if (c === '"') this.tokens.push({ type: "string", text: this.string() });
    else if (c === "{") this.object();
    else if (c === "[") this.array();
    else this.scalar();
  }

  object() {
    this.punct("{");
    this.skip();
    if (this.text[this.i] === "}") return this.punct("}");
    for (;;) {
      this.skip();
      if (this.text[this.i] !== '"') this.fail("expected a key");
      this.tokens.push({ type: "key", text: this.string() });
      this.skip();
      if (this.text[this.i] !== ":") this.fail("expected ':'");
      this.punct(":");
      this.value();
      this.skip();
      if (this.text[this.i] === ",") this.punct(",");
      else if (this.text[this.i] === "}") return this.punct("}");
      else this.fail("expected ',' or '}'");
    }
  }

  array() {
    this.punct("[");
    this.skip();
    if (this.text[this.i] === "]") return this.punct("]");
    for (;;) {
      this.value();
      this.skip();
      if (this.text[this.i] === ",") this.punct(",");
      else if (this.text[this.i] === "]") return this.punct("]");
      else this.fail("expected ',' or ']'");
    }
  }

  scalar() {
    for (const [re, type] of [[NUMBER, "number"], [LITERAL, "literal"]]) {
      re.lastIndex = this.i;
      const m = re.exec(this.text);
      if (m) {
        this.tokens.push({ type, text: m[0] });
        this.i = re.lastIndex;
        return;
      }
    }
    this.fail(this.i >= this.text.length ? "unexpected end" : `unexpected ${JSON.stringify(this.text[this.i])}`);
  }
}

/**
 * Re-indents JSON text. Returns segments `{ type, text }` to render (types:
 * "key", "string", "number", "literal", "punct", "space"); joined, they are the
 * pretty text. Throws a SyntaxError for text that is not JSON.
 */
export function prettySegments(text, indent = "  ") {
  const tokens = tokenize(text);
  const out = [];
  let depth = 0;
  const newline = () => out.push({ type: "space", text: `\n${indent.repeat(depth)}` });
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t];
    const next = tokens[t + 1];
    if (token.type !== "punct") {
      out.push(token);
      continue;
    }
    switch (token.text) {
      case "{":
      case "[":
        out.push(token);
        if (next && next.text !== "}" && next.text !== "]") {
          depth++;
          newline();
        }
        break;
      case "}":
      case "]": {
        const previous = tokens[t - 1];
        if (previous.text !== "{" && previous.text !== "[") {
          depth--;
          newline();
        }
        out.push(token);
        break;
      }
      case ",":
        out.push(token);
        newline();
        break;
      case ":":
        out.push({ type: "punct", text: ": " });
        break;
    }
  }
  return out;
}

/** The pretty text of a JSON text (same tokens, re-indented). */
export function prettyJson(text, indent = "  ") {
  return prettySegments(text, indent).map((s) => s.text).join("");
}

/** "ticket.comments[0].x" → ["ticket", "comments", 0, "x"] */
export function splitPath(path) {
  const parts = [];
  for (const piece of String(path).split(".")) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(piece);
    if (!m) {
      parts.push(piece);
      continue;
    }
    if (m[1] !== "") parts.push(m[1]);
    for (const index of m[2].matchAll(/\[(\d+)\]/g)) parts.push(Number(index[1]));
  }
  return parts;
}

/**
 * The JSON text (compact, tokens verbatim) of the value at `parts` in a JSON
 * text, or undefined when there is none. Numbers are never converted.
 */
export function rawValueAt(text, parts) {
  let tokens;
  try {
    tokens = tokenize(text);
  } catch {
    return undefined;
  }
  // Index just past the value starting at token i.
  const end = (i) => {
    const open = tokens[i].text;
    if (tokens[i].type !== "punct" || (open !== "{" && open !== "[")) return i + 1;
    let depth = 0;
    for (let j = i; j < tokens.length; j++) {
      const t = tokens[j];
      if (t.type !== "punct") continue;
      if (t.text === "{" || t.text === "[") depth++;
      else if (t.text === "}" || t.text === "]") depth--;
      if (depth === 0) return j + 1;
    }
    return tokens.length;
  };
  let i = 0;
  for (const part of parts) {
    const t = tokens[i];
    if (typeof part === "number" && t.text === "[") {
      let j = i + 1;
      for (let n = 0; n < part; n++) {
        if (tokens[j].text === "]") return undefined;
        j = end(j);
        if (tokens[j].text !== ",") return undefined;
        j++;
      }
      if (tokens[j].text === "]") return undefined;
      i = j;
    } else if (typeof part === "string" && t.text === "{") {
      let j = i + 1;
      let found = -1;
      while (tokens[j].text !== "}") {
        const key = JSON.parse(tokens[j].text);
        const valueStart = j + 2;
        if (key === part) found = valueStart; // the last duplicate wins, as in JSON.parse
        j = end(valueStart);
        if (tokens[j].text === ",") j++;
      }
      if (found < 0) return undefined;
      i = found;
    } else {
      return undefined;
    }
  }
  return tokens.slice(i, end(i)).map((t) => (t.text === ":" ? ": " : t.text === "," ? ", " : t.text)).join("");
}
