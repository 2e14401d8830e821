// A `curl` command that replays a delivery: the page's "replay" box. Pure
// functions, no DOM (tested in Node).

// Headers that a replay must not copy: curl computes them, or they belong
// to the original connection.
const NOT_REPLAYED = new Set(["host", "content-length", "connection", "transfer-encoding", "accept-encoding", "expect", "keep-alive", "te", "upgrade"]);

/** Quotes a string for a POSIX shell. */
export function shellQuote(text) {
  return `'${String(text).replace(/'/g, `'\\''`)}'`;
}

/** A `curl` command that sends the same headers and exact body bytes to `url`. */
export function curlCommand(url, headers, body) {
  const parts = [`curl -sS -i -X POST ${shellQuote(url)}`];
  for (const [name, value] of headers) {
    if (NOT_REPLAYED.has(name.toLowerCase())) continue;
    parts.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  }
  parts.push(`--data-binary ${shellQuote(body)}`);
  return parts.join(" \\\n  ");
}
