// toNodeListener on plain node:http, over real sockets on 127.0.0.1: bodies
// over the limit are answered (413), not reset; malformed requests get 400
// and never crash the process; a body a parser read first is answered 500
// body_already_read (reported to onError) unless the raw bytes were kept.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { Readable } from "node:stream";
import { after, before, describe, test } from "node:test";

import { lark } from "./helpers.mjs";
import { KEY, TOKEN, post, rawExchange, streamPost, ticketCreated, until } from "./frameworks/platform.mjs";

const { createHandler, toNodeListener, LarkWebhookError } = lark;

/** A handler that records what reaches `on` and `onError`. */
function recordingHandler(options = {}) {
  const seen = [];
  const errors = [];
  const handler = createHandler({
    encryptKey: KEY,
    verificationToken: TOKEN,
    on: { "*": (m) => seen.push({ kind: m.kind, event_type: m.event_type, event_id: m.header.event_id, ticket_id: m.event?.ticket_id }) },
    onError: (error, inbound, context) => errors.push({ error, inbound, hasRequest: context?.request instanceof Request }),
    ...options,
  });
  return { handler, seen, errors };
}

/** Serves `listener` on 127.0.0.1, a free port. */
async function serve(listener) {
  const server = createServer(listener);
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Runs `fn` with console.error captured; returns what was printed. */
async function capturingConsoleError(fn) {
  const printed = [];
  const original = console.error;
  console.error = (...args) => printed.push(args.map(String).join(" "));
  try {
    await fn();
  } finally {
    console.error = original;
  }
  return printed;
}

describe("bodies over the limit", () => {
  let server;
  let record;
  before(async () => {
    record = recordingHandler({ maxBodyBytes: 64 * 1024 });
    server = await serve(toNodeListener(record.handler));
  });
  after(() => server.close());

  test("a chunked body (no Content-Length) over the limit is answered 413, and the client receives it", async () => {
    const answer = await streamPost(`${server.url}/webhook/event`, { totalBytes: 1024 * 1024 });
    assert.equal(answer.status, 413);
    assert.equal(answer.body.code, "body_too_large");
    assert.match(answer.body.message, /65536/);
    assert.equal(answer.headers.connection, "close", "the connection is not reused after a body left unread");
    assert.equal(answer.clientError(), undefined, "the client finished sending without a reset");
  });

  test("a declared Content-Length over the limit is answered 413 before the body is read", async () => {
    const total = 256 * 1024;
    const answer = await streamPost(`${server.url}/webhook/event`, { totalBytes: total, headers: { "content-length": String(total + 2) } });
    assert.equal(answer.status, 413);
    assert.equal(answer.body.code, "body_too_large");
    assert.equal(answer.clientError(), undefined);
  });

  test("fetch with a streamed body over the limit also gets the 413", async () => {
    let sent = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (sent >= 512 * 1024) return controller.close();
        sent += 16 * 1024;
        controller.enqueue(new Uint8Array(16 * 1024).fill(0x20));
      },
    });
    const response = await fetch(`${server.url}/webhook/event`, { method: "POST", body, duplex: "half", headers: { "content-type": "application/json" } });
    assert.equal(response.status, 413);
    assert.equal((await response.json()).code, "body_too_large");
  });

  test("the server still answers afterwards", async () => {
    const { delivery, expected } = ticketCreated();
    assert.equal((await post(`${server.url}/webhook/event`, delivery)).status, 200);
    await until(() => record.seen.some((s) => s.event_id === expected.event_id), "the handler");
  });
});

describe("malformed requests", () => {
  let server;
  let record;
  before(async () => {
    record = recordingHandler();
    server = await serve(toNodeListener(record.handler));
  });
  after(() => server.close());

  const targets = ["//", "http://[", "/%zz", "/webhook/%E0%A", "/webhook%", "//[::1"];
  for (const target of targets) {
    test(`request target ${JSON.stringify(target)}: 400 invalid_request`, async () => {
      const reply = await rawExchange(server.port, `POST ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`);
      assert.match(reply, /^HTTP\/1\.1 400 /);
      assert.match(reply, /"code":"invalid_request"/);
    });
  }

  test("a Host header that makes no URL: 400 invalid_request", async () => {
    const reply = await rawExchange(server.port, "POST /webhook/event HTTP/1.1\r\nHost: [nonsense\r\nContent-Length: 2\r\n\r\n{}");
    assert.match(reply, /^HTTP\/1\.1 400 /);
    assert.match(reply, /"code":"invalid_request"/);
  });

  test("a client that disconnects in the middle of its body does not disturb the server", async () => {
    await rawExchange(server.port, "POST /webhook/event HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\n\r\n{\"encrypt\":\"abc", 50);
    await new Promise((resolve) => setTimeout(resolve, 50));
  });

  test("the process is still up and the server still answers deliveries", async () => {
    const { delivery, expected } = ticketCreated();
    assert.equal((await post(`${server.url}/webhook/event`, delivery)).status, 200);
    await until(() => record.seen.some((s) => s.event_id === expected.event_id), "the handler");
  });

  test("a handler that throws, rejects or returns no Response: 500 internal_error, logged, never thrown into the server", async () => {
    const failing = [
      () => {
        throw new Error("thrown");
      },
      () => Promise.reject(new Error("rejected")),
      () => ({ not: "a Response" }),
    ];
    for (const handler of failing) {
      const own = await serve(toNodeListener(handler));
      try {
        let answer;
        const printed = await capturingConsoleError(async () => {
          answer = await post(own.url, ticketCreated().delivery);
        });
        assert.equal(answer.status, 500);
        assert.equal(answer.body.code, "internal_error");
        assert.equal(printed.length, 1);
        assert.match(printed[0], /larkhook: the handler given to toNodeListener failed/);
      } finally {
        await own.close();
      }
    }
  });

  test("toNodeListener refuses what is not a handler", () => {
    assert.throws(() => toNodeListener({}), { code: "invalid_argument" });
  });
});

describe("a body read before the listener (a body parser got there first)", () => {
  let record;
  let server;
  let prepare;
  before(async () => {
    record = recordingHandler();
    const listener = toNodeListener(record.handler);
    // What a body parser does: read the stream to its end, then leave what it made on req.
    server = await serve(async (req, res) => {
      if (prepare === undefined) return listener(req, res);
      const chunks = [];
      for await (const chunk of req) chunks.push(chunk);
      prepare(req, Buffer.concat(chunks));
      return listener(req, res);
    });
  });
  after(() => server.close());

  async function deliverWith(how) {
    prepare = how;
    const { delivery, expected } = ticketCreated();
    record.errors.length = 0;
    const answer = await post(`${server.url}/webhook/event`, delivery);
    return { answer, expected };
  }

  test("a parsed body and no raw bytes: 500 body_already_read naming each framework's fix, reported to onError", async () => {
    const { answer, expected } = await deliverWith((req, raw) => (req.body = JSON.parse(raw)));
    assert.equal(answer.status, 500);
    assert.deepEqual(Object.keys(answer.body), ["code", "message"]);
    assert.equal(answer.body.code, "body_already_read");
    assert.match(answer.body.message, /already read by a body parser/);
    assert.match(answer.body.message, /express\.raw\(\{ type: "application\/json" \}\)/);
    assert.match(answer.body.message, /before `app\.use\(express\.json\(\)\)`/);
    assert.match(answer.body.message, /Koa: register the webhook route before the body parser \(`bodyParser\(\)`/);
    assert.match(answer.body.message, /Fastify: .*parseAs: "buffer"/);
    assert.match(answer.body.message, /bodyParser: false/);
    assert.equal(record.errors.length, 1);
    const [{ error, inbound, hasRequest }] = record.errors;
    assert.ok(error instanceof LarkWebhookError);
    assert.equal(error.code, "body_already_read");
    assert.equal(error.status, 500);
    assert.equal(inbound, undefined);
    assert.equal(hasRequest, true);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.ok(!record.seen.some((s) => s.event_id === expected.event_id), "the handler did not run");
  });

  test("a stream read to its end with nothing kept at all: the same answer", async () => {
    const { answer } = await deliverWith(() => {});
    assert.equal(answer.status, 500);
    assert.equal(answer.body.code, "body_already_read");
    assert.equal(record.errors.length, 1);
  });

  test("a parsed object is never taken for the raw body, in rawBody either", async () => {
    const { answer } = await deliverWith((req, raw) => {
      req.body = JSON.parse(raw);
      req.rawBody = JSON.parse(raw);
    });
    assert.equal(answer.body.code, "body_already_read");
  });

  const kept = {
    "rawBody as a Buffer (Google Cloud Functions, Express json({ verify }))": (req, raw) => {
      req.body = JSON.parse(raw);
      req.rawBody = raw;
    },
    "rawBody as a string": (req, raw) => {
      req.body = JSON.parse(raw);
      req.rawBody = raw.toString("utf8");
    },
    "body as a Buffer (express.raw())": (req, raw) => (req.body = raw),
    "body as a plain Uint8Array": (req, raw) => (req.body = new Uint8Array(raw)),
    "body as text (express.text())": (req, raw) => (req.body = raw.toString("utf8")),
  };
  for (const [name, how] of Object.entries(kept)) {
    test(`the raw bytes kept as ${name} are used: 200 and the typed event reaches its handler`, async () => {
      const { answer, expected } = await deliverWith(how);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const seen = await until(() => record.seen.find((s) => s.event_id === expected.event_id), "the handler");
      assert.deepEqual(seen, expected);
      assert.equal(record.errors.length, 0);
    });
  }

  test("a body parser's default {} on a stream it left unread does not matter: the stream is used", async () => {
    prepare = undefined;
    const listener = toNodeListener(record.handler);
    const own = await serve((req, res) => {
      req.body = {};
      return listener(req, res);
    });
    try {
      const { delivery, expected } = ticketCreated();
      assert.equal((await post(own.url, delivery)).status, 200);
      await until(() => record.seen.some((s) => s.event_id === expected.event_id), "the handler");
    } finally {
      await own.close();
    }
  });
});

test("a request-like object with no raw headers (a serverless adapter's) is read from its headers; the promise settles with the answer", async () => {
  const { handler, seen } = recordingHandler();
  const { delivery, expected } = ticketCreated();
  const req = Object.assign(Readable.from([Buffer.from(delivery.body)]), {
    method: "POST",
    url: "/webhook/event",
    headers: { host: "127.0.0.1", ...delivery.headers },
    rawHeaders: [],
    complete: true,
  });
  const written = {};
  const res = {
    headersSent: false,
    writableEnded: false,
    destroyed: false,
    writeHead(status, headers) {
      Object.assign(written, { status, headers });
      this.headersSent = true;
    },
    write() {},
    end(body) {
      written.body = Buffer.from(body).toString("utf8");
      this.writableEnded = true;
    },
  };
  await toNodeListener(handler)(req, res);
  assert.equal(written.status, 200, written.body);
  assert.equal(written.headers["content-length"], String(Buffer.byteLength(written.body)));
  await until(() => seen.some((s) => s.event_id === expected.event_id), "the handler");
});

describe("a Fetch Request whose body was read first", () => {
  test("500 body_already_read with the Fetch fix, reported to onError", async () => {
    const { handler, errors } = recordingHandler();
    const { delivery } = ticketCreated();
    const request = new Request("http://127.0.0.1/webhook/event", { method: "POST", headers: delivery.headers, body: delivery.body });
    await request.json();
    const response = await handler(request);
    assert.equal(response.status, 500);
    const body = await response.json();
    assert.equal(body.code, "body_already_read");
    assert.match(body.message, /c\.req\.raw/);
    assert.match(body.message, /request\.clone\(\)/);
    assert.equal(errors.length, 1);
    assert.equal(errors[0].error.code, "body_already_read");
  });

  test("parseRequest itself refuses it with the same code", async () => {
    const hook = new lark.LarkWebhook({ encryptKey: KEY });
    const request = new Request("http://127.0.0.1/", { method: "POST", body: "{}" });
    await request.text();
    await assert.rejects(hook.parseRequest(request), { code: "body_already_read", status: 500 });
  });
});
