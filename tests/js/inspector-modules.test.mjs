// The payload inspector's pure modules, in Node: the package's request
// parser (the page loads it from larkhook/tools/, `larkhook inspect` from the
// package), the curl replay command, and the token-preserving JSON printer.
// The page itself, in Chromium: inspector.test.mjs.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";
import { pathToFileURL } from "node:url";

import { fixture, root } from "./helpers.mjs";

const www = (name) => import(pathToFileURL(join(root, "www-demo", name)).href);
const { parseRawRequest } = await import(pathToFileURL(join(root, "pkg", "tools", "http-request.mjs")).href);
const { curlCommand } = await www("curl.mjs");
const { prettyJson, rawValueAt, splitPath, tokenize } = await www("json-view.mjs");

describe("page modules", () => {
  test("parseRawRequest: CRLF, mixed-case names, request line, Content-Length trims a trailing line break", () => {
    const body = '{"encrypt":"abc"}';
    const raw = `post /webhook/event HTTP/1.1\r\nx-LARK-Signature: ab12\r\nCONTENT-TYPE:application/json \r\ncontent-length: ${body.length}\r\n\r\n${body}\r\n`;
    const parsed = parseRawRequest(raw);
    assert.equal(parsed.method, "POST");
    assert.equal(parsed.target, "/webhook/event");
    assert.deepEqual(parsed.headers, [["x-LARK-Signature", "ab12"], ["CONTENT-TYPE", "application/json"], ["content-length", String(body.length)]]);
    assert.equal(parsed.body, body);
    assert.match(parsed.notes.join(" "), /Content-Length/);
  });

  test("parseRawRequest: LF, no request line, a body-only paste, curl -v prefixes, HTTP/2 pseudo-headers", () => {
    const noLine = parseRawRequest("X-Lark-Request-Nonce: n\nX-Lark-Signature: s\n\n{}");
    assert.equal(noLine.method, undefined);
    assert.deepEqual(noLine.headers, [["X-Lark-Request-Nonce", "n"], ["X-Lark-Signature", "s"]]);
    assert.equal(noLine.body, "{}");

    const bodyOnly = parseRawRequest('{"schema":"2.0"}');
    assert.deepEqual(bodyOnly.headers, []);
    assert.equal(bodyOnly.body, '{"schema":"2.0"}');

    const curl = parseRawRequest("> POST /hook HTTP/1.1\n> Host: a\n> X-Lark-Signature: s\n>\n{}");
    assert.equal(curl.target, "/hook");
    assert.deepEqual(curl.headers, [["Host", "a"], ["X-Lark-Signature", "s"]]);
    assert.equal(curl.body, "{}");

    const h2 = parseRawRequest(":method: POST\n:path: /x\nx-lark-signature: s\n\n{}");
    assert.equal(h2.method, "POST");
    assert.deepEqual(h2.headers, [["x-lark-signature", "s"]]);
  });

  test("parseRawRequest keeps the body's bytes, and says when a line break may have been added", () => {
    const parsed = parseRawRequest('X-Lark-Signature: s\n\n{"a":"b c"}\n');
    assert.equal(parsed.body, '{"a":"b c"}\n');
    assert.match(parsed.notes.join(" "), /line break/);
  });

  test("curlCommand quotes for the shell and drops connection headers", () => {
    const cmd = curlCommand("http://127.0.0.1:8787/webhook/event", [["Host", "x"], ["Content-Length", "9"], ["X-Note", "it's"]], `{"a":"'"}`);
    assert.equal(cmd, `curl -sS -i -X POST 'http://127.0.0.1:8787/webhook/event' \\\n  -H 'X-Note: it'\\''s' \\\n  --data-binary '{"a":"'\\''"}'`);
  });

  test("prettyJson keeps 64-bit numbers and every token verbatim", () => {
    const text = '{"id":7262656095919128579,"f":1.50,"e":1E+2,"s":"\\u00e9\\n","a":[],"o":{},"n":[null,true,false]}';
    const pretty = prettyJson(text);
    assert.match(pretty, /"id": 7262656095919128579,/);
    assert.match(pretty, /"f": 1\.50,/);
    assert.match(pretty, /"e": 1E\+2,/);
    assert.match(pretty, /"s": "\\u00e9\\n",/);
    assert.match(pretty, /"a": \[\],\n {2}"o": \{\},/);
    assert.equal(pretty.replace(/\s+/g, ""), text.replace(/\s+/g, ""));
    assert.equal(prettyJson(fixture("ticket_message_created_v1.json")).includes("7262656095919128579"), true);
  });

  test("tokenize refuses what is not JSON, with a position", () => {
    for (const bad of ["{", '{"a":1,}', "[1 2]", "01", '"\\x"', "{} x", "", "NaN"]) {
      assert.throws(() => tokenize(bad), SyntaxError, bad);
    }
    assert.throws(() => tokenize('{\n"a": x}'), /line 2, column 6/);
  });

  test("rawValueAt finds a value by the typed model's paths, numbers untouched", () => {
    const text = '{"event":{"ticket":{"comments":[{"id":1},{"id":7262656095919128579,"x":{"y":[1,2]}}]}}}';
    assert.deepEqual(splitPath("ticket.comments[1].x"), ["ticket", "comments", 1, "x"]);
    assert.equal(rawValueAt(text, ["event", ...splitPath("ticket.comments[1].id")]), "7262656095919128579");
    assert.equal(rawValueAt(text, ["event", ...splitPath("ticket.comments[1].x")]), '{"y": [1, 2]}');
    assert.equal(rawValueAt(text, ["event", "nope"]), undefined);
  });
});
