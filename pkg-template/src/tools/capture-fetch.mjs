// Reading a devtools "Copy as fetch" / "Copy as fetch (Node.js)" paste:
// `fetch("URL", { … });`, optionally after `await`. Pure functions, no I/O;
// ES module only, shared by `larkhook inspect` and the payload inspector.
//
// Chrome writes the URL and the options with JSON.stringify (the options
// indented by two spaces), so both are read as JSON, never evaluated: the
// header names as `Headers` iteration gives them (lower case), `body` the
// request body as text (absent or null without one), `method`, and fields
// that do not matter here (referrer, referrerPolicy, mode, credentials).

const START = /^\s*(?:await\s+)?fetch\s*\(\s*/;

/** True when the text is a `fetch(…)` call. */
export function looksLikeFetch(text) {
  return START.test(text);
}

/** The end (exclusive) of the JSON string literal starting at `text[i]`. */
function stringEnd(text, i) {
  for (let j = i + 1; j < text.length; j++) {
    if (text[j] === "\\") j++;
    else if (text[j] === '"') return j + 1;
  }
  return -1;
}

/** The end (exclusive) of the balanced `{…}` starting at `text[i]`, strings skipped. */
function objectEnd(text, i) {
  let depth = 0;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (c === '"') {
      j = stringEnd(text, j) - 1;
      if (j < 0) return -1;
    } else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return j + 1;
  }
  return -1;
}

/**
 * Reads a fetch call. Returns `{ method, url, target, headers, body?, notes }`,
 * `{ error }` when it is a fetch call whose arguments are not the JSON
 * devtools writes, or undefined when the text is not a fetch call.
 */
export function parseFetchCall(text) {
  const start = START.exec(text);
  if (!start) return undefined;
  let i = start[0].length;
  if (text[i] !== '"') return { error: 'the fetch call\'s URL is not a JSON string as devtools writes it ("https://…")' };
  const urlEnd = stringEnd(text, i);
  if (urlEnd < 0) return { error: "the fetch call's URL string is not closed: was the paste cut short?" };
  let url;
  try {
    url = JSON.parse(text.slice(i, urlEnd));
  } catch (error) {
    return { error: `the fetch call's URL is not a JSON string as devtools writes it (${error.message})` };
  }
  i = urlEnd;
  while (/\s/.test(text[i] ?? "")) i++;
  let options = {};
  if (text[i] === ",") {
    i++;
    while (/\s/.test(text[i] ?? "")) i++;
    if (text[i] === "{") {
      const end = objectEnd(text, i);
      if (end < 0) return { error: "the fetch call's options object is not closed: was the paste cut short?" };
      try {
        options = JSON.parse(text.slice(i, end));
      } catch (error) {
        return { error: `the fetch call's options are not JSON as devtools writes them (${error.message}); paste the copy unchanged` };
      }
    }
  }
  const notes = [];
  const headers = [];
  if (options.headers !== undefined && options.headers !== null) {
    if (typeof options.headers !== "object" || Array.isArray(options.headers)) return { error: "the fetch call's headers are not an object of name: value" };
    for (const [name, value] of Object.entries(options.headers)) headers.push([name, String(value)]);
  }
  let body;
  if (typeof options.body === "string") body = options.body;
  else if (options.body !== undefined && options.body !== null) return { error: "the fetch call's body is not a string" };
  let target;
  try {
    const parsed = new URL(url);
    target = parsed.pathname + parsed.search;
  } catch {
    target = url;
  }
  return { method: String(options.method ?? "GET").toUpperCase(), url, target, headers, body, notes };
}
