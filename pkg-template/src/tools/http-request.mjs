// Reading a raw HTTP request as people capture it (a proxy, `curl -v`, a
// server log, the browser's devtools) and writing one back. Pure functions,
// no I/O: shared by `larkhook inspect` and the payload inspector page
// (www-dist/larkhook/tools/http-request.mjs). ES module only: not part of the
// package's JavaScript API.
//
// The body is returned exactly as pasted: the signature covers its bytes.
// The only change ever made is dropping line breaks past the declared
// Content-Length, which capture tools add and the sender never signed.

const REQUEST_LINE = /^([A-Za-z]+)[ \t]+(\S+)(?:[ \t]+(HTTP\/\d(?:\.\d)?))?[ \t]*$/;
const HEADER_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*:[ \t]*(.*?)[ \t]*$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** UTF-8 length of a string. */
export function byteLength(text) {
  return encoder.encode(text).length;
}

/**
 * Splits pasted text into request line, headers and body.
 * Tolerates CRLF or LF, header names in any case, a missing request line,
 * `> ` prefixes from `curl -v`, HTTP/2 pseudo-headers (`:method`), folded
 * header lines, and text that is only a body.
 *
 * Returns `{ method?, target?, version?, headers: [name, value][], body, notes: string[],
 * bodyOnly, headEnded, ignoredLines }`: `bodyOnly` when the text is only a body,
 * `headEnded` when a blank line closed the head, `ignoredLines` the number of head
 * lines that were neither a request line nor a header.
 */
export function parseRawRequest(text) {
  const notes = [];
  const result = { method: undefined, target: undefined, version: undefined, headers: [], body: "", notes, bodyOnly: false, headEnded: false, ignoredLines: 0 };
  if (typeof text !== "string" || text.length === 0) return result;

  // A leading byte-order mark or blank lines are never part of a request.
  let rest = text.replace(/^\uFEFF/, "").replace(/^(?:[ \t]*\r?\n)+/, "");

  if (rest.startsWith(">")) rest = withoutCurlPrefixes(rest);

  // Only a body (JSON pasted on its own).
  if (/^\s*[{[]/.test(rest)) {
    result.body = rest;
    result.bodyOnly = true;
    notes.push("No request line or headers: the whole text is taken as the body.");
    return result;
  }

  // The head ends at the first empty line (CRLF CRLF, LF LF, or mixed).
  const end = /\r?\n[ \t]*\r?\n/.exec(rest);
  const head = end ? rest.slice(0, end.index) : rest;
  const body = end ? rest.slice(end.index + end[0].length) : "";
  result.headEnded = Boolean(end);
  if (!end) notes.push("No blank line after the headers: the body is empty.");

  const lines = head.split(/\r?\n/);

  let first = 0;
  const request = REQUEST_LINE.exec(lines[0] ?? "");
  if (request && !HEADER_LINE.test(lines[0])) {
    result.method = request[1].toUpperCase();
    result.target = request[2];
    result.version = request[3];
    first = 1;
  } else {
    notes.push("No request line: the text starts with the headers.");
  }

  for (let i = first; i < lines.length; i++) readHeadLine(lines[i], i, result);
  result.body = toContentLength(body, result.headers, notes);
  return result;
}

// `curl -v` prints the request head with "> " before each line, ending
// with a lone ">": unprefix that leading run of lines.
function withoutCurlPrefixes(text) {
  const lines = text.split(/(?<=\n)/);
  let n = 0;
  while (n < lines.length && lines[n].startsWith(">")) n++;
  const head = lines.slice(0, n).map((line) => line.replace(/^> ?/, "")).join("");
  if (n === lines.length || !/^[ \t]*\r?\n$/.test(lines[n - 1].replace(/^> ?/, ""))) {
    // No lone ">" line: the head and what follows are separated by the end of the run.
    return head + "\n" + lines.slice(n).join("");
  }
  return head + lines.slice(n).join("");
}

/** One line of the head (its index `i`) into `result`: a header, a folded value, an HTTP/2 pseudo-header, or a note. */
function readHeadLine(line, i, result) {
  if (line.trim() === "") return;
  if (/^[ \t]/.test(line) && result.headers.length > 0) {
    // obs-fold: a continuation of the previous header's value.
    const last = result.headers[result.headers.length - 1];
    last[1] = `${last[1]} ${line.trim()}`.trim();
    return;
  }
  if (line.startsWith(":")) {
    // HTTP/2 pseudo-headers as devtools copy them: ":method: POST".
    const pseudo = /^:([a-z]+):?[ \t]*(.*)$/.exec(line);
    if (pseudo?.[1] === "method") result.method ??= pseudo[2].trim().toUpperCase();
    if (pseudo?.[1] === "path") result.target ??= pseudo[2].trim();
    return;
  }
  const header = HEADER_LINE.exec(line);
  if (header) result.headers.push([header[1], header[2]]);
  else {
    result.ignoredLines++;
    result.notes.push(`Line ${i + 1} of the head is not a header and was ignored: ${JSON.stringify(line.slice(0, 60))}`);
  }
}

/** Content-Length: the body without line breaks a capture tool appended past it, and notes on any mismatch. */
function toContentLength(body, headers, notes) {
  const declared = headerValue(headers, "content-length");
  if (declared !== undefined && /^\d+$/.test(declared.trim())) {
    const length = Number(declared.trim());
    const bytes = encoder.encode(body);
    if (bytes.length > length) {
      const tail = decoder.decode(bytes.subarray(length));
      if (/^[\r\n]+$/.test(tail)) {
        notes.push(`Line breaks after the declared Content-Length (${length} bytes) were dropped from the body.`);
        return decoder.decode(bytes.subarray(0, length));
      }
      notes.push(`The body is ${bytes.length} bytes but Content-Length says ${length}: kept as pasted.`);
    } else if (bytes.length < length) {
      notes.push(`The body is ${bytes.length} bytes but Content-Length says ${length}: the capture may be cut short.`);
    }
  } else if (/\r?\n$/.test(body)) {
    notes.push("The body ends with a line break. If your capture tool added it, delete it: the signature covers every byte.");
  }
  return body;
}

/** The value of the first header named `name` (case-insensitive). */
export function headerValue(headers, name) {
  const lower = name.toLowerCase();
  for (const [n, v] of headers) if (n.toLowerCase() === lower) return v;
  return undefined;
}

/** Parses "Name: value" lines (the separate headers field). */
export function parseHeaderLines(text) {
  const headers = [];
  const notes = [];
  const lines = String(text ?? "").split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1];
      last[1] = `${last[1]} ${line.trim()}`.trim();
      return;
    }
    const header = HEADER_LINE.exec(line.replace(/^> ?/, ""));
    if (header) headers.push([header[1], header[2]]);
    else notes.push(`Header line ${i + 1} is not "Name: value" and was ignored.`);
  });
  return { headers, notes };
}

/** "Name: value" lines from header pairs. */
export function formatHeaderLines(headers) {
  return headers.map(([name, value]) => `${name}: ${value}`).join("\n");
}

/** A raw request as text: request line, headers, blank line, body (LF line ends). */
export function formatRawRequest({ method = "POST", target = "/webhook/event", headers = [], body = "" }) {
  return `${method} ${target} HTTP/1.1\n${formatHeaderLines(headers)}\n\n${body}`;
}
