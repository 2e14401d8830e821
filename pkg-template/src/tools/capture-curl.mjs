// Reading curl as people paste it: a command (Chrome's and Firefox's "Copy
// as cURL (bash)", or one typed by hand), and a `curl -v` trace (the `*`,
// `>` and `<` lines curl writes to stderr, usually with the command above
// them). Pure functions, no I/O; ES module only, shared by `larkhook
// inspect` and the payload inspector.
//
// The shapes, from the tools' sources and manuals: devtools write
// `curl 'URL' \` then one option per line (`-X 'POST'` or `-X POST`,
// `-H 'name: value'`, `--data-raw '…'`, Chrome adds `--compressed`), each
// value in '…' or, when it holds a quote, `!` or a control character,
// bash's $'…'. curl -v prints the request head it sent as `> ` lines ending
// with a lone `>`, the answer as `< ` lines, and its own notes as `* `
// lines; it never prints the body it sent.

import { splitCommand } from "./capture-shell.mjs";
import { parseHeaderLines } from "./http-request.mjs";

/** curl options that take an argument (`curl --help all`, 7.88, and later additions). */
const WITH_ARGUMENT = new Set(
  (
    "abstract-unix-socket alt-svc aws-sigv4 cacert capath cert cert-type ciphers config connect-timeout connect-to " +
    "continue-at cookie cookie-jar create-file-mode crlfile curves data data-ascii data-binary data-raw data-urlencode " +
    "delegation dns-interface dns-ipv4-addr dns-ipv6-addr dns-servers doh-url dump-header ech egd-file engine " +
    "etag-compare etag-save expand-data expand-header expand-url expect100-timeout form form-string ftp-account " +
    "ftp-alternative-to-user ftp-method ftp-port ftp-ssl-ccc-mode happy-eyeballs-timeout-ms header hostpubmd5 " +
    "hostpubsha256 hsts interface ip-tos ipfs-gateway json keepalive-cnt keepalive-time key key-type knownhosts krb " +
    "libcurl limit-rate local-port login-options mail-auth mail-from mail-rcpt max-filesize max-redirs max-time " +
    "netrc-file noproxy oauth2-bearer output output-dir parallel-max pass pinnedpubkey preproxy proto proto-default " +
    "proto-redir proxy proxy-cacert proxy-capath proxy-cert proxy-cert-type proxy-ciphers proxy-crlfile proxy-header " +
    "proxy-key proxy-key-type proxy-pass proxy-pinnedpubkey proxy-service-name proxy-tls13-ciphers proxy-tlsauthtype " +
    "proxy-tlspassword proxy-tlsuser proxy-user proxy1.0 pubkey quote random-file range rate referer request " +
    "request-target resolve retry retry-delay retry-max-time sasl-authzid service-name sigalgs socks4 socks4a socks5 " +
    "socks5-gssapi-service socks5-hostname speed-limit speed-time stderr telnet-option tftp-blksize time-cond " +
    "tls-max tls13-ciphers tlsauthtype tlspassword tlsuser trace trace-ascii trace-config unix-socket upload-file " +
    "upload-flags url url-query user user-agent variable vlan-priority write-out"
  ).split(" "),
);

/** Short options: the long name of each (those that take an argument must be listed). */
const SHORT = {
  A: "user-agent", b: "cookie", c: "cookie-jar", C: "continue-at", d: "data", D: "dump-header", e: "referer",
  E: "cert", F: "form", H: "header", K: "config", m: "max-time", o: "output", P: "ftp-port", Q: "quote",
  r: "range", t: "telnet-option", T: "upload-file", u: "user", U: "proxy-user", w: "write-out", x: "proxy",
  X: "request", y: "speed-time", Y: "speed-limit", z: "time-cond", G: "get", I: "head",
};

/** The options that carry the request body, and how curl treats their value. */
const DATA_OPTIONS = new Set(["data", "data-ascii", "data-binary", "data-raw", "data-urlencode", "json"]);

/** `--data`-style value: how curl turns it into body bytes, or why it cannot be known here. */
function dataValue(option, value) {
  if (option === "data-raw") return { text: value };
  if (option === "data-urlencode") {
    // name=content, =content or content: the content URL-encoded (@file forms are read from files).
    const m = /^([^=@]*)([=@]?)([\s\S]*)$/.exec(value);
    if (m[2] === "@") return { file: m[3] };
    const content = m[2] === "=" ? m[3] : m[1];
    return { text: `${m[2] === "=" && m[1] ? `${m[1]}=` : ""}${encodeURIComponent(content).replace(/%20/g, "+")}` };
  }
  if (value.startsWith("@")) return { file: value.slice(1) };
  return { text: value };
}

/**
 * Reads a curl command's words (the first one `curl`): method, URL, headers
 * and the body its data options give. A body read from a file (`-d @file`)
 * cannot be known from the paste: `bodyFile` names it.
 *
 * Returns `{ method, url, target, headers, body?, bodyFile?, notes, verbose }`.
 */
export function readCurlWords(words) {
  const notes = [];
  const headers = [];
  const data = [];
  let method;
  let url;
  let verbose = false;
  let json = false;
  let get = false;
  let bodyFile;
  const take = (option, value) => {
    if (option === "request") method = value;
    else if (option === "url") url ??= value;
    else if (option === "header") {
      // "Name:" removes a header curl would add, "Name;" sends it empty.
      const empty = /^([^:;\s]+);$/.exec(value);
      if (empty) headers.push([empty[1], ""]);
      else if (!/^[^:]+:\s*$/.test(value)) headers.push(...parseHeaderLines(value).headers);
    } else if (option === "user-agent") headers.push(["User-Agent", value]);
    else if (option === "referer") headers.push(["Referer", value]);
    else if (option === "cookie" && value.includes("=")) headers.push(["Cookie", value]);
    else if (DATA_OPTIONS.has(option)) {
      if (option === "json") json = true;
      const part = dataValue(option, value);
      if (part.file !== undefined) bodyFile = part.file;
      else data.push(part.text);
    }
  };

  for (let i = 1; i < words.length; i++) {
    const word = words[i];
    if (word === "--") {
      url ??= words[i + 1];
      break;
    }
    if (word.startsWith("--")) {
      const name = word.slice(2);
      if (name === "verbose") verbose = true;
      else if (name === "get") get = true;
      if (WITH_ARGUMENT.has(name)) {
        take(name, words[i + 1] ?? "");
        i++;
      }
      continue;
    }
    if (word.startsWith("-") && word.length > 1) {
      // Short options, possibly several in one word (-sSv), the last one possibly with its value attached (-XPOST).
      for (let j = 1; j < word.length; j++) {
        const long = SHORT[word[j]];
        if (word[j] === "v") verbose = true;
        if (long === "get") get = true;
        if (long && WITH_ARGUMENT.has(long)) {
          const attached = word.slice(j + 1);
          if (attached !== "") take(long, attached);
          else {
            take(long, words[i + 1] ?? "");
            i++;
          }
          break;
        }
      }
      continue;
    }
    url ??= word;
  }

  const result = { method: undefined, url, target: undefined, headers, body: undefined, bodyFile, notes, verbose };
  if (data.length > 0) result.body = data.join("&");
  if (json && !headers.some(([n]) => n.toLowerCase() === "content-type")) headers.push(["Content-Type", "application/json"]);
  result.method = (method ?? (get ? "GET" : data.length > 0 || bodyFile !== undefined ? "POST" : "GET")).toUpperCase();
  if (get && result.body !== undefined) notes.push("-G sends the data in the URL, not as a body.");
  if (url !== undefined) Object.assign(result, urlAndTarget(url));
  return result;
}

/** The URL as curl reads it, and the request target it sends. */
function urlAndTarget(url) {
  // Chrome escapes URL brackets and braces (curl's globbing) with a backslash inside the quotes.
  const plain = url.replace(/\\([[\]{}])/g, "$1");
  try {
    const parsed = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(plain) ? plain : `http://${plain}`);
    return { url: parsed.href, target: parsed.pathname + parsed.search };
  } catch {
    return { target: plain };
  }
}

/** The first curl command in `text` (a line starting with `curl`, after an optional prompt), or undefined. */
export function findCurlCommand(text) {
  const start = /(?:^|\n)[ \t]*(?:[^\s<>*{}]*[$%#❯][ \t]+)?(curl(?:\.exe)?[ \t])/.exec(text);
  if (!start) return undefined;
  const from = start.index + start[0].length - start[1].length;
  const { words, end, notes, complete } = splitCommand(text.slice(from));
  if (words[0] !== "curl" && words[0] !== "curl.exe") return undefined;
  return { words, start: from, end: from + end, notes, complete };
}

/**
 * A pasted curl command ("Copy as cURL (bash)"). Returns the request, or
 * undefined when the text holds no curl command.
 */
export function parseCurlCommand(text) {
  const found = findCurlCommand(text);
  if (!found) return undefined;
  const request = readCurlWords(found.words);
  request.notes.unshift(...found.notes);
  if (/\^"/.test(text.slice(found.start, found.end))) {
    request.notes.push('The command looks like "Copy as cURL (cmd)": copy it as cURL (bash) instead, whose quoting is read exactly.');
  }
  return request;
}

const TRACE_REQUEST_LINE = /^>[ \t]?([A-Z]+) (\S+) (HTTP\/[\d.]+)\r?$/m;

/** True when the text holds a `curl -v` request head (a `> METHOD target HTTP/x` line). */
export function looksLikeCurlTrace(text) {
  return TRACE_REQUEST_LINE.test(text);
}

/**
 * A `curl -v` trace: the request head from its `>` lines (the first request
 * when there are several), the command above it when pasted too, and the
 * byte count curl reports having sent. The body comes from the command's
 * data options; curl -v does not print it.
 *
 * Returns `{ method, target, version, headers, body?, bodyFile?, command?, sentBytes?, notes }`.
 */
export function parseCurlTrace(text) {
  const notes = [];
  const lines = text.split("\n").map((line) => line.replace(/\r$/, ""));
  const first = lines.findIndex((line) => /^>[ \t]?[A-Z]+ \S+ HTTP\/[\d.]+$/.test(line));
  const head = [];
  let i = first;
  for (; i < lines.length && lines[i].startsWith(">"); i++) {
    const line = lines[i].replace(/^> ?/, "");
    if (line.trim() === "") break;
    head.push(line);
  }
  const [, method, target, version] = /^([A-Z]+) (\S+) (HTTP\/[\d.]+)$/.exec(head[0]);
  const { headers, notes: headerNotes } = parseHeaderLines(head.slice(1).join("\n"));
  notes.push(...headerNotes);
  const later = lines.slice(i + 1).filter((line) => /^>[ \t]?[A-Z]+ \S+ HTTP\//.test(line)).length;
  if (later > 0) notes.push(`The trace holds ${later + 1} requests (a redirect or a retry): the first one is read.`);

  // "* upload completely sent off: 123 bytes" (curl 8), "… 123 out of 123 bytes" (curl 7).
  const sent = lines.slice(i).map((line) => /^\* upload completely sent off: (\d+)(?: out of \d+)? bytes/.exec(line)).find(Boolean);
  const result = { method, target, version, headers, body: undefined, bodyFile: undefined, command: undefined, sentBytes: sent ? Number(sent[1]) : undefined, notes };

  const command = parseCurlCommand(lines.slice(0, first).join("\n"));
  if (command) {
    result.command = command;
    result.body = command.body;
    result.bodyFile = command.bodyFile;
    notes.push(...command.notes);
  }
  return result;
}
