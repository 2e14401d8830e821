// larkhook in the Node frameworks people use, each installed from npm and
// served on 127.0.0.1 on a free port: Express 5, Koa 2, Fastify 5, Hono (its
// Node server and its Fetch handler called directly) and Next.js (`next dev`
// as a child process, route handlers and API routes). For each: the
// challenge, a typed event reaching its `on` handler, a tampered delivery
// (401), and the body-parser pitfall (500 body_already_read with the fix,
// reported to onError), or the raw bytes the framework kept, accepted.
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import Router from "@koa/router";
import { serve as honoServe } from "@hono/node-server";
import express from "express";
import Fastify from "fastify";
import { Hono } from "hono";
import { validator } from "hono/validator";
import Koa from "koa";
import bodyParser from "koa-bodyparser";

import { lark, root } from "./helpers.mjs";
import { KEY, TOKEN, challenge, post, tampered, ticketCreated, until } from "./frameworks/platform.mjs";

const { createHandler, toNodeListener } = lark;

/** Handlers per route that record, with the route, what reaches `on` and `onError`. */
function recorder() {
  const events = [];
  const errors = [];
  const handler = (route) =>
    createHandler({
      encryptKey: KEY,
      verificationToken: TOKEN,
      on: { "*": (m) => events.push({ route, kind: m.kind, event_type: m.event_type, event_id: m.header.event_id, ticket_id: m.event?.ticket_id }) },
      onError: (error) => errors.push({ route, code: error?.code ?? String(error) }),
    });
  return { handler, events: () => events, errors: () => errors };
}

/** An http.Server-like object listening: its base URL and how to stop it. */
async function listening(server) {
  if (!server.listening) await new Promise((resolve, reject) => server.once("listening", resolve).once("error", reject));
  return {
    base: `http://127.0.0.1:${server.address().port}`,
    stop: () => {
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

/**
 * The checks every framework passes. `app` has `post(path, delivery)`,
 * `events()`, `errors()`; `routes` names the webhook route, the routes that
 * must accept a delivery (streamed or from kept raw bytes) and the pitfalls
 * with the fix their message must name.
 */
function frameworkChecks(name, app, routes) {
  test(`${name}: the challenge is answered`, async () => {
    const { value, delivery } = challenge();
    const answer = await app().post(routes.webhook.path, delivery);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { challenge: value });
  });

  for (const { path, route } of [routes.webhook, ...(routes.accepted ?? [])]) {
    test(`${name}: ${path} hands a typed event to its handler`, async () => {
      const { delivery, expected } = ticketCreated();
      const answer = await app().post(path, delivery);
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
      const seen = await until(() => app().events().find((e) => e.event_id === expected.event_id), `the ${route} handler`);
      assert.deepEqual(seen, { route, ...expected });
    });
  }

  test(`${name}: a tampered delivery is refused with 401 signature_mismatch`, async () => {
    const { delivery } = ticketCreated();
    const answer = await app().post(routes.webhook.path, tampered(delivery));
    assert.equal(answer.status, 401);
    assert.equal(answer.body.code, "signature_mismatch");
  });

  for (const { path, route, fix, not = [] } of routes.pitfalls ?? []) {
    test(`${name}: behind a body parser (${path}) the answer is 500 body_already_read with the fix, and onError hears of it`, async () => {
      const { delivery, expected } = ticketCreated();
      const answer = await app().post(path, delivery);
      assert.equal(answer.status, 500);
      assert.equal(answer.body.code, "body_already_read");
      for (const pattern of fix) assert.match(answer.body.message, pattern);
      for (const pattern of not) assert.doesNotMatch(answer.body.message, pattern);
      await until(() => app().errors().some((e) => e.route === route && e.code === "body_already_read"), "onError");
      assert.ok(!app().events().some((e) => e.event_id === expected.event_id), "the handler did not run");
    });
  }
}

describe("Express 5", () => {
  const rec = recorder();
  let server;
  before(async () => {
    const app = express();
    // The webhook route first: express.json() below never sees its body.
    app.post("/webhook/event", toNodeListener(rec.handler("express")));
    app.post("/raw", express.raw({ type: "application/json" }), toNodeListener(rec.handler("express-raw")));
    app.post("/verify", express.json({ verify: (req, _res, buf) => (req.rawBody = buf) }), toNodeListener(rec.handler("express-verify")));
    app.use(express.json());
    app.post("/after-json", toNodeListener(rec.handler("express-after-json")));
    server = await listening(app.listen(0, "127.0.0.1"));
  });
  after(() => server.stop());

  frameworkChecks("express", () => ({ post: (path, d) => post(server.base + path, d), ...rec }), {
    webhook: { path: "/webhook/event", route: "express" },
    accepted: [
      { path: "/raw", route: "express-raw" },
      { path: "/verify", route: "express-verify" },
    ],
    pitfalls: [{ path: "/after-json", route: "express-after-json", fix: [/Express: mount/, /express\.raw\(\{ type: "application\/json" \}\)/], not: [/Fastify/] }],
  });
});

describe("Koa 2", () => {
  const rec = recorder();
  let server;
  before(async () => {
    const app = new Koa();
    const router = new Router();
    // Plain Koa: one middleware line, as the README writes it.
    const handler = rec.handler("koa-plain");
    app.use((ctx, next) => (ctx.path === "/plain" ? toNodeListener(handler)(ctx) : next()));
    // @koa/router: the listener is the route's middleware.
    router.post("/webhook/event", toNodeListener(rec.handler("koa")));
    // The raw form: ctx.req and ctx.res, Koa told to stay out of the answer.
    const raw = toNodeListener(rec.handler("koa-raw"));
    router.post("/raw", (ctx) => {
      ctx.respond = false;
      return raw(ctx.req, ctx.res);
    });
    // koa-bodyparser keeps ctx.request.rawBody: given the context, the listener uses it.
    router.post("/bodyparser", bodyParser(), toNodeListener(rec.handler("koa-bodyparser")));
    // Given only ctx.req after bodyParser(), the raw bytes are out of reach.
    const parsedRaw = toNodeListener(rec.handler("koa-parsed-raw"));
    router.post("/bodyparser-raw", bodyParser(), (ctx) => {
      ctx.respond = false;
      return parsedRaw(ctx.req, ctx.res);
    });
    app.use(router.routes());
    server = await listening(app.listen(0, "127.0.0.1"));
  });
  after(() => server.stop());

  frameworkChecks("koa", () => ({ post: (path, d) => post(server.base + path, d), ...rec }), {
    webhook: { path: "/webhook/event", route: "koa" },
    accepted: [
      { path: "/plain", route: "koa-plain" },
      { path: "/raw", route: "koa-raw" },
      { path: "/bodyparser", route: "koa-bodyparser" },
    ],
    pitfalls: [{ path: "/bodyparser-raw", route: "koa-parsed-raw", fix: [/Koa: register the webhook route before the body parser/, /ctx\.request\.rawBody/, /toNodeListener\(handler\)\(ctx\)/] }],
  });
});

describe("Fastify 5", () => {
  const rec = recorder();
  let fastify;
  let base;
  before(async () => {
    fastify = Fastify();
    // The webhook in its own plugin, whose JSON parser keeps the bytes.
    fastify.register(async (scope) => {
      scope.addContentTypeParser("application/json", { parseAs: "buffer" }, (request, body, done) => done(null, body));
      scope.post("/webhook/event", toNodeListener(rec.handler("fastify")));
    });
    // The raw form, streamed: a parser that leaves the body unread, the reply hijacked.
    fastify.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      scope.addContentTypeParser("*", (request, payload, done) => done(null));
      const raw = toNodeListener(rec.handler("fastify-stream"));
      scope.post("/stream", (request, reply) => {
        reply.hijack();
        return raw(request.raw, reply.raw);
      });
    });
    // Fastify's default JSON parser consumed the body: with the request and with request.raw.
    fastify.post("/parsed", toNodeListener(rec.handler("fastify-parsed")));
    const parsedRaw = toNodeListener(rec.handler("fastify-parsed-raw"));
    fastify.post("/parsed-raw", (request, reply) => {
      reply.hijack();
      return parsedRaw(request.raw, reply.raw);
    });
    base = await fastify.listen({ host: "127.0.0.1", port: 0 });
  });
  after(() => fastify.close());

  frameworkChecks("fastify", () => ({ post: (path, d) => post(base + path, d), ...rec }), {
    webhook: { path: "/webhook/event", route: "fastify" },
    accepted: [{ path: "/stream", route: "fastify-stream" }],
    pitfalls: [
      { path: "/parsed", route: "fastify-parsed", fix: [/Fastify: register the webhook route in its own plugin/, /parseAs: "buffer"/], not: [/Express/] },
      { path: "/parsed-raw", route: "fastify-parsed-raw", fix: [/Fastify: /, /Express: /] },
    ],
  });
});

/** The Hono app: the Fetch handler given `c.req.raw`, and behind a JSON validator. */
function honoApp(rec) {
  const app = new Hono();
  const webhook = rec.handler("hono");
  app.post("/webhook/event", (c) => webhook(c.req.raw));
  const validated = rec.handler("hono-validated");
  app.post(
    "/validated",
    validator("json", (value) => value),
    (c) => validated(c.req.raw),
  );
  return app;
}

const honoPitfall = { path: "/validated", route: "hono-validated", fix: [/c\.req\.raw/, /validator/] };

describe("Hono on @hono/node-server", () => {
  const rec = recorder();
  let server;
  before(async () => {
    server = await listening(honoServe({ fetch: honoApp(rec).fetch, hostname: "127.0.0.1", port: 0 }));
  });
  after(() => server.stop());

  frameworkChecks("hono (node-server)", () => ({ post: (path, d) => post(server.base + path, d), ...rec }), {
    webhook: { path: "/webhook/event", route: "hono" },
    pitfalls: [honoPitfall],
  });
});

describe("Hono's Fetch handler, called directly", () => {
  const rec = recorder();
  const app = honoApp(rec);
  const postDirect = async (path, { headers, body }) => {
    const response = await app.fetch(new Request(`http://127.0.0.1${path}`, { method: "POST", headers, body }));
    return { status: response.status, body: await response.json() };
  };
  frameworkChecks("hono (fetch)", () => ({ post: postDirect, ...rec }), {
    webhook: { path: "/webhook/event", route: "hono" },
    pitfalls: [honoPitfall],
  });
});

describe("Next.js (next build without secrets, then next dev: app/ route handlers and pages/api routes)", () => {
  const appDir = join(root, "tests", "js", "frameworks", "next-app");
  const next = join(root, "node_modules", "next", "dist", "bin", "next");
  let child;
  let base;
  let output = "";
  // The fixture app's handlers print `larkhook-test seen|error {json}` lines.
  const marked = (kind) => () => [...output.matchAll(new RegExp(`^larkhook-test ${kind} (.*)$`, "gm"))].map((m) => JSON.parse(m[1]));

  before(async () => {
    const started = Date.now();
    // Fresh build output every run (deterministic), kept out of git (next-app/.gitignore).
    rmSync(join(appDir, ".next"), { recursive: true, force: true });
    // larkhook as the app would install it: the built package, under node_modules.
    mkdirSync(join(appDir, "node_modules"), { recursive: true });
    rmSync(join(appDir, "node_modules", "larkhook"), { force: true });
    symlinkSync(join(root, "pkg"), join(appDir, "node_modules", "larkhook"), "dir");
    // A CI build has no secrets: every route must import without them (the README's pattern).
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("LARK_")));
    const build = spawnSync(process.execPath, [next, "build"], { cwd: appDir, env: { ...env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" }, encoding: "utf8", timeout: 240_000 });
    assert.equal(build.status, 0, `next build without LARK_* in the environment failed:\n${build.stdout}${build.stderr}`);
    assert.match(build.stdout, /\/webhook\/event/);
    console.log(`# next build without secrets in ${Date.now() - started} ms`);
    rmSync(join(appDir, ".next"), { recursive: true, force: true });
    child = spawn(process.execPath, [next, "dev", "--hostname", "127.0.0.1", "--port", "0"], {
      cwd: appDir,
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN, NODE_ENV: "development" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise((_, reject) => child.once("exit", (code) => reject(new Error(`next dev exited with ${code}:\n${output}`))));
    base = await Promise.race([until(() => /Local:\s+(http:\/\/127\.0\.0\.1:\d+)/.exec(output)?.[1], "next dev to listen", 60_000), exited]);
    await Promise.race([until(() => /Ready in/.test(output), "next dev to be ready", 60_000), exited]);
    console.log(`# next dev ready in ${Date.now() - started} ms`);
  });

  after(async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      // next dev runs its server in a child process: stop the group we started.
      process.kill(-child.pid, "SIGTERM");
      await exited;
    }
    rmSync(join(appDir, ".next"), { recursive: true, force: true });
  });

  frameworkChecks("next.js", () => ({ post: (path, d) => post(base + path, d), events: marked("seen"), errors: marked("error") }), {
    webhook: { path: "/webhook/event", route: "app" },
    accepted: [{ path: "/api/raw", route: "raw" }],
    pitfalls: [
      { path: "/api/parsed", route: "parsed", fix: [/Next\.js: add `export const config = \{ api: \{ bodyParser: false \} \}`/], not: [/Express/] },
      { path: "/read-first", route: "read-first", fix: [/export the handler itself as `POST`/, /request\.clone\(\)/] },
    ],
  });
});
