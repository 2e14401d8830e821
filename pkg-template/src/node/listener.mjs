// The bridge from Node's HTTP servers (node:http, Express, Koa, Fastify,
// Next.js API routes) to a Fetch-style handler such as createHandler's, and
// the `body_already_read` answer, per framework, for a body a parser
// consumed first. Runtime-neutral: only Fetch and timer globals, no `node:`
// imports, because every entry (browser and Worker included) exports it.

import { ENDPOINT_CODES } from "../core/answers.mjs";
import { LarkWebhookError } from "../core/errors.mjs";

const READ_FIRST = "the request body was already read by a body parser before larkhook saw it, so the raw bytes the signature covers are gone (a parsed and re-serialized body never verifies).";

// The fix per framework, in the words of that framework's own API.
const FIXES = {
  express: 'Express: mount `app.post(path, toNodeListener(handler))` before `app.use(express.json())`, or give the webhook route the raw body with `express.raw({ type: "application/json" })`.',
  koa: "Koa: register the webhook route before the body parser (`bodyParser()`, `koaBody()`), or use koa-bodyparser, which keeps the raw text in `ctx.request.rawBody`, and hand the listener the whole context: `router.post(path, toNodeListener(handler))` or `toNodeListener(handler)(ctx)`.",
  fastify: 'Fastify: register the webhook route in its own plugin with `addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => done(null, body))`, and mount the listener itself, `scope.post(path, toNodeListener(handler))`, so that it gets Fastify\'s request rather than `request.raw`.',
  next: "Next.js: add `export const config = { api: { bodyParser: false } }` to this API route, or use a route handler (`app/…/route.js`) that exports the Fetch handler as `POST`.",
};

/**
 * The message of a `body_already_read` answer: what happened and the exact
 * fix for the framework, when it can be told (`"express"`, `"koa"`,
 * `"fastify"`, `"next"`), or for every framework when it cannot.
 */
function bodyAlreadyReadMessage(framework) {
  const fixes = Object.hasOwn(FIXES, framework) ? [FIXES[framework]] : ["Mount the webhook route before any body parser, or use the framework's raw-body option.", ...Object.values(FIXES)];
  return [READ_FIRST, ...fixes].join(" ");
}

/** How long a refused, still-arriving body is drained before the connection is cut. */
const DRAIN_MS = 5000;

const encoder = new TextEncoder();

const adapterError = (code, message) => new LarkWebhookError(code, ENDPOINT_CODES[code], message);

/**
 * Adapts a Fetch-style handler to Node's HTTP servers. The returned
 * listener takes `(req, res)` from `node:http`, Express or a Next.js API
 * route; `(request, reply)` from Fastify (it hijacks the reply); or a Koa
 * context (it sets `ctx.respond = false`). The body is streamed to the
 * handler, which enforces the size limit; when a body parser consumed it
 * first, the raw bytes the framework kept (`rawBody`, or a `body` that is a
 * Buffer or a string) are used, and otherwise the handler's body read fails
 * with `body_already_read` (500, the fix in its message). The listener's
 * promise settles when the answer is written and never rejects: a failure
 * is answered with 400 or 500, never thrown into the server.
 *
 * @example
 * http.createServer(toNodeListener(handler));
 * app.post("/webhook/event", toNodeListener(handler)); // Express
 * router.post("/webhook/event", toNodeListener(handler)); // @koa/router
 */
export function toNodeListener(handler) {
  if (typeof handler !== "function") {
    throw new LarkWebhookError("invalid_argument", 500, "toNodeListener expects a Fetch-style handler: (request) => Promise<Response>");
  }
  return function listener(first, second) {
    return serve(handler, first, second).catch((error) => {
      console.error("larkhook: the node listener could not answer:", error);
    });
  };
}

async function serve(handler, first, second) {
  const { req, res, kept, framework } = exchangeOf(first, second);
  let response;
  let request;
  try {
    request = toRequest(req, kept, framework);
  } catch (error) {
    const refusal = error instanceof LarkWebhookError ? error : adapterError("invalid_request", "malformed request: it could not be converted to a Fetch Request");
    response = json(refusal.status, refusal.toJSON());
  }
  if (request !== undefined) {
    try {
      response = await handler(request);
      if (typeof response?.arrayBuffer !== "function" || typeof response.status !== "number") {
        throw new TypeError("the handler did not return a Response");
      }
    } catch (error) {
      console.error("larkhook: the handler given to toNodeListener failed:", error);
      response = json(500, { code: "internal_error", message: "the delivery could not be handled" });
    }
  }
  await answer(req, res, response);
}

// Koa and Fastify wrap node:http's request and response; their wrappers
// hold what a body parser kept.
function exchangeOf(first, second) {
  if (isNodeRequest(first?.req) && first.res && first.request) {
    first.respond = false;
    const { request, req } = first;
    return { req, res: first.res, kept: [request.rawBody, request.body, req.rawBody, req.body], framework: "koa" };
  }
  if (isNodeRequest(first?.raw) && second?.raw && typeof second.hijack === "function") {
    second.hijack();
    const req = first.raw;
    return { req, res: second.raw, kept: [first.rawBody, first.body, req.rawBody, req.body], framework: "fastify" };
  }
  const framework = typeof first?.app === "function" ? "express" : typeof second?.revalidate === "function" ? "next" : undefined;
  return { req: first, res: second, kept: [first?.rawBody, first?.body], framework };
}

function toRequest(req, kept, framework) {
  const url = requestUrl(req);
  const headers = new Headers();
  try {
    if (req.rawHeaders?.length > 0) {
      for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    } else {
      for (const [name, value] of Object.entries(req.headers ?? {})) {
        for (const item of Array.isArray(value) ? value : [value]) if (item !== undefined) headers.append(name, String(item));
      }
    }
  } catch {
    throw adapterError("invalid_request", "malformed request: a header cannot be read");
  }
  const method = typeof req.method === "string" ? req.method : "GET";
  if (method === "GET" || method === "HEAD") return new Request(url, { method, headers });
  let body;
  if (!(req.readableEnded || req.readableDidRead)) body = streamOf(req);
  else body = rawBytes(kept) ?? failing(adapterError("body_already_read", bodyAlreadyReadMessage(framework)));
  return new Request(url, { method, headers, body, duplex: "half" });
}

function requestUrl(req) {
  const target = typeof req.originalUrl === "string" ? req.originalUrl : typeof req.url === "string" ? req.url : "/";
  if (/%(?![0-9A-Fa-f]{2})/.test(target)) {
    throw adapterError("invalid_request", "malformed request: the request target has an invalid percent-encoding");
  }
  const host = req.headers?.host;
  try {
    return new URL(target, `http://${typeof host === "string" && host !== "" ? host : "localhost"}`);
  } catch {
    throw adapterError("invalid_request", "malformed request: the request target or the Host header is not a valid URL");
  }
}

function isNodeRequest(value) {
  return value !== null && typeof value === "object" && typeof value.on === "function" && Array.isArray(value.rawHeaders);
}

// The raw body a framework kept: bytes or text. A parsed object is never raw.
function rawBytes(candidates) {
  for (const value of candidates) {
    if (typeof value === "string") return encoder.encode(value);
    if (value instanceof Uint8Array) return value;
    if (value instanceof ArrayBuffer) return new Uint8Array(value);
    if (ArrayBuffer.isView(value)) return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  return undefined;
}

// A body whose read fails with `error`: createHandler answers it with its
// status and reports it, exactly like a refusal from parsing.
function failing(error) {
  return new ReadableStream({ pull: (controller) => controller.error(error) }, { highWaterMark: 0 });
}

// The request body as a byte stream, pulled only when the handler reads
// (highWaterMark 0), paused between reads. Cancelling (a body over the limit)
// stops reading without destroying the request, so the answer can still be
// written and the rest drained.
function streamOf(req) {
  let detach;
  return new ReadableStream(
    {
      pull(controller) {
        if (detach === undefined) {
          let open = true;
          // Runs from the request's events: it must not throw.
          const settle = (finish) => {
            if (!open) return;
            detach();
            try {
              finish();
            } catch {
              // Already closed by its reader.
            }
          };
          const onData = (chunk) => {
            if (!open) return;
            try {
              controller.enqueue(typeof chunk === "string" ? encoder.encode(chunk) : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
            } catch {
              // The reader went away without cancelling: stop feeding it.
              detach();
              return;
            }
            if (controller.desiredSize <= 0) req.pause();
          };
          const onEnd = () => settle(() => controller.close());
          const onError = (error) => settle(() => controller.error(error));
          const onClose = () => settle(() => controller.error(new Error("the client closed the connection before the body was complete")));
          detach = () => {
            open = false;
            req.off("data", onData);
            req.off("end", onEnd);
            req.off("error", onError);
            req.off("close", onClose);
          };
          req.on("data", onData);
          req.on("end", onEnd);
          req.on("error", onError);
          req.on("close", onClose);
        }
        req.resume();
      },
      cancel() {
        detach?.();
        req.pause();
      },
    },
    { highWaterMark: 0 },
  );
}

function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}

// Writes the answer. A request whose body is still arriving (refused before
// it was read) is answered at once, with `connection: close`, and drained for
// up to DRAIN_MS before the connection closes: cutting it at once would reset
// the socket and the client could lose the answer.
async function answer(req, res, response) {
  let status = response.status;
  let body;
  const headers = {};
  try {
    body = new Uint8Array(await response.arrayBuffer());
    for (const [name, value] of response.headers) headers[name] = value;
    const cookies = response.headers.getSetCookie?.() ?? [];
    if (cookies.length > 0) headers["set-cookie"] = cookies;
  } catch {
    status = 500;
    body = encoder.encode('{"code":"internal_error","message":"the answer could not be read"}');
    for (const name of Object.keys(headers)) delete headers[name];
    headers["content-type"] = "application/json";
  }
  if (res.headersSent || res.writableEnded || res.destroyed) return;
  headers["content-length"] = String(body.byteLength);
  const draining = !req.complete && !req.destroyed;
  if (draining) headers.connection = "close";
  try {
    res.writeHead(status, headers);
  } catch {
    // An invalid status or header from the handler: answer 500 instead.
    res.writeHead(500, { "content-type": "application/json", ...(draining ? { connection: "close" } : {}) });
    body = encoder.encode('{"code":"internal_error","message":"the answer could not be written"}');
  }
  if (!draining) {
    res.end(body);
    return;
  }
  res.write(body);
  await new Promise((resolve) => {
    // Runs from an event or a timer: it must not throw.
    const done = () => {
      clearTimeout(timer);
      for (const event of ["end", "close", "error"]) req.off(event, done);
      try {
        if (!res.writableEnded && !res.destroyed) res.end();
      } catch {
        res.destroy?.();
      }
      resolve();
    };
    const timer = setTimeout(done, DRAIN_MS);
    timer.unref?.();
    for (const event of ["end", "close", "error"]) req.on(event, done);
    req.resume();
  });
}
