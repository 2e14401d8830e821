// Reading a HAR file (devtools "Save all as HAR", HAR 1.2): the POST
// entries are listed, one is picked. Pure functions, no I/O; ES module only,
// shared by `larkhook inspect` and the payload inspector.
//
// HAR 1.2 (http://www.softwareishard.com/blog/har-12-spec/): log.entries[],
// each with request.method, url, headers [{name, value}] and postData
// {mimeType, text}. Chrome lists HTTP/2 pseudo-headers (":path") among the
// headers; some tools write a binary body base64-encoded with
// postData.encoding "base64" (as HAR does for response content).

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** The parsed HAR when the text is one (a JSON object with log.entries), else undefined. */
export function readHar(text) {
  if (!/^\s*\{/.test(text) || !/"log"/.test(text) || !/"entries"/.test(text)) return undefined;
  let value;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return Array.isArray(value?.log?.entries) ? value : undefined;
}

/** The request body of a HAR entry: text, bytes (base64 that is not UTF-8), or undefined. */
function entryBody(request) {
  const data = request.postData;
  if (data === undefined || data === null || typeof data.text !== "string") return undefined;
  if (data.encoding === undefined || data.encoding === "" || data.encoding === null) return data.text;
  if (String(data.encoding).toLowerCase() !== "base64") return { error: `postData.encoding "${String(data.encoding).slice(0, 20)}" is not one this tool reads (base64)` };
  const clean = data.text.replace(/\s+/g, "");
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean) || clean.length % 4 === 1) return { error: "postData.text is not valid base64 although postData.encoding says base64" };
  const binary = atob(clean);
  const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return bytes;
  }
}

const byteCount = (body) => (body === undefined ? 0 : typeof body === "string" ? new TextEncoder().encode(body).length : body.length ?? 0);

/**
 * The POST entries of a HAR, numbered from 1 in file order: `{ number,
 * index, method, url, started, bodyBytes }` (`index` is the position in
 * log.entries).
 */
export function harPostEntries(har) {
  const posts = [];
  har.log.entries.forEach((entry, index) => {
    const request = entry?.request;
    if (String(request?.method ?? "").toUpperCase() !== "POST") return;
    const body = entryBody(request);
    posts.push({ number: posts.length + 1, index, method: "POST", url: String(request.url ?? ""), started: entry.startedDateTime, bodyBytes: body?.error ? 0 : byteCount(body) });
  });
  return posts;
}

/**
 * Picks one POST entry: `number` (from 1, as harPostEntries numbers them),
 * or the only one when `number` is undefined.
 *
 * Returns `{ request: { method, url, target, version, headers, body, bodyMissing, notes }, entry, entries }`,
 * or `{ error, entries, choose? }` (`choose` when there are several POSTs
 * and none was named).
 */
export function pickHarEntry(har, number) {
  const entries = harPostEntries(har);
  const total = har.log.entries.length;
  if (entries.length === 0) {
    const methods = [...new Set(har.log.entries.map((e) => String(e?.request?.method ?? "?")))].join(", ");
    return { error: `the HAR holds no POST request (${total} entr${total === 1 ? "y" : "ies"}${methods ? `: ${methods}` : ""}); a webhook delivery is a POST`, entries };
  }
  if (number === undefined && entries.length > 1) {
    return { error: `the HAR holds ${entries.length} POST requests: choose one with --entry N`, entries, choose: true };
  }
  const chosen = number === undefined ? entries[0] : entries.find((e) => e.number === number);
  if (!chosen) return { error: `--entry ${number}: the HAR has POST entries 1 to ${entries.length}`, entries, choose: true };

  const raw = har.log.entries[chosen.index].request;
  const notes = [];
  const headers = [];
  let target;
  for (const header of Array.isArray(raw.headers) ? raw.headers : []) {
    const name = String(header?.name ?? "");
    const value = String(header?.value ?? "");
    if (name.startsWith(":")) {
      // HTTP/2 pseudo-headers: only the path matters here.
      if (name === ":path") target = value;
      continue;
    }
    if (name !== "") headers.push([name, value]);
  }
  const body = entryBody(raw);
  if (body?.error) return { error: `entry ${chosen.number}: ${body.error}`, entries };
  if (target === undefined) {
    try {
      const url = new URL(chosen.url);
      target = url.pathname + url.search;
    } catch {
      target = chosen.url || undefined;
    }
  }
  if (entries.length > 1) notes.push(`Entry ${chosen.number} of the HAR's ${entries.length} POST requests: ${chosen.url}`);
  return {
    request: { method: "POST", url: chosen.url, target, version: raw.httpVersion, headers, body: body ?? "", bodyMissing: body === undefined, notes },
    entry: chosen,
    entries,
  };
}
