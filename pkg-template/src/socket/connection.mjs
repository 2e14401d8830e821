// createLongConnection: events and card callbacks over a WebSocket the app
// opens itself (no public URL), with createHandler's guarantee. Node ≥ 20,
// Deno and Bun; the Node entries export it, the Workers and browser entries
// do not (a Worker cannot keep an outgoing socket open between requests).
//
// The life cycle: the endpoint call answers a socket URL and a ClientConfig
// (refusals.mjs); the socket is opened (transport.mjs; the handshake's
// refusal read from its headers on Node) and run by a Session (pings,
// pongs, the half-dead watchdog, fragments); a closed or failed socket is
// reopened after ReconnectInterval plus up to ReconnectNonce of jitter, with
// a fresh URL. Each complete message is typed by the core and handed to
// deliver.mjs, which answers the ack. The frame codec is the core's (tools
// module, loaded by start()).

import { DEFAULTS } from "../core/codes.generated.mjs";
import { configError, fromCore } from "../core/errors.mjs";
import { errorToast } from "../endpoint/callback.mjs";
import { DEFAULT_DEADLINE_MS, DEFAULT_LEASE_SECONDS, MemoryDedupStore, dedupStoreProblem } from "../endpoint/dedup.mjs";
import { handlersProblem, positiveNumberProblem } from "../endpoint/delivery.mjs";
import { endpointError, settleBefore } from "../endpoint/lease.mjs";
import { makeCodec } from "./codec.mjs";
import { CONNECT_TIMEOUT_MS, DEFAULT_CLIENT_CONFIG, DOMAINS, FRAGMENT_LIMITS } from "./codes.mjs";
import { cardFrameRefusal, makeSocketDelivery } from "./deliver.mjs";
import { callEndpoint, handshakeError, scrubber, socketError } from "./refusals.mjs";
import { Session } from "./session.mjs";
import { openSocket as openDefault } from "./transport.mjs";

function baseUrl(domain) {
  if (Object.hasOwn(DOMAINS, domain)) return DOMAINS[domain];
  if (typeof domain === "string" && /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(domain)) return domain.replace(/\/+$/, "");
  return undefined;
}

function defaultOnError(error, inbound) {
  const where = inbound ? ` for ${inbound.event_type} ${inbound.header?.event_id}` : "";
  console.error(`larkhook long connection: ${error?.code ?? "error"}${where}:`, error?.message ?? error);
}

/** The options with their defaults, checked like createHandler's; throws invalid_config. */
function connectionOptions(options) {
  if (options === null || typeof options !== "object") throw configError("createLongConnection expects an options object");
  const o = {
    domain: "feishu",
    on: {},
    onError: defaultOnError,
    deadlineMs: DEFAULT_DEADLINE_MS,
    leaseSeconds: DEFAULT_LEASE_SECONDS,
    maxBodyBytes: DEFAULTS.maxBodyBytes,
    fragmentTimeoutMs: FRAGMENT_LIMITS.maxAgeMs,
    clock: Date.now,
    ...Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)),
  };
  o.base = baseUrl(o.domain);
  const problem =
    (typeof o.appId === "string" && o.appId.trim() !== "" ? undefined : "appId must be the app's App ID (cli_…)") ??
    (typeof o.appSecret === "string" && o.appSecret.trim() !== "" ? undefined : "appSecret must be the app's App Secret") ??
    (o.base === undefined ? 'domain must be "feishu", "lark" or the Open Platform\'s base URL (https://…)' : undefined) ??
    handlersProblem(o.on) ??
    (typeof o.onError === "function" ? undefined : "onError must be a function") ??
    positiveNumberProblem(o.deadlineMs, "deadlineMs", "milliseconds") ??
    positiveNumberProblem(o.leaseSeconds, "leaseSeconds", "seconds") ??
    positiveNumberProblem(o.fragmentTimeoutMs, "fragmentTimeoutMs", "milliseconds") ??
    (typeof o.clock === "function" ? undefined : "clock must be a function returning milliseconds, like Date.now") ??
    (o.dedup === undefined ? undefined : dedupStoreProblem(o.dedup)) ??
    (errorToast(o.callbackErrorToast) === undefined ? "callbackErrorToast must be the toast's text, or a toast { type?, content, i18n? }" : undefined);
  if (problem) throw configError(problem);
  return o;
}

/** One long connection; its options (the App Secret among them) live in private fields only. */
class LongConnection {
  #o;
  #runtime;
  #hook;
  #delivery;
  #scrub;
  #codec;
  #status = "closed";
  #config = { ...DEFAULT_CLIENT_CONFIG };
  #generation = 0; // bumped by start() and stop(): late work of an older start() stands down
  #session;
  #opening; // { resolve, reject } of start()'s promise until the first open
  #started;
  #reconnectTimer;
  #failures = 0;
  #running = new Set();

  constructor(options, runtime) {
    this.#o = connectionOptions(options);
    this.#runtime = runtime;
    // The payload is plain JSON on an authenticated socket: typed by the same
    // core as a webhook delivery, with nothing to verify (no key, no token, no window).
    this.#hook = new runtime.LarkWebhook({ insecure: true, toleranceSeconds: null, maxBodyBytes: this.#o.maxBodyBytes });
    this.#scrub = scrubber(this.#o.appSecret);
    const { on, dedup, deadlineMs, leaseSeconds, callbackErrorToast, clock } = this.#o;
    const store = dedup === undefined ? new MemoryDedupStore({ clock }) : dedup;
    const report = (error, inbound) => this.#report(error, inbound);
    this.#delivery = makeSocketDelivery({ on, store, deadlineMs, leaseSeconds, callbackErrorToast, report, track: (p) => this.#track(p) });
  }

  get status() {
    return this.#status;
  }

  get pending() {
    return this.#running.size;
  }

  start() {
    if (this.#started !== undefined && this.#status !== "failed") return this.#started;
    this.#generation += 1;
    this.#failures = 0;
    this.#status = "connecting";
    this.#started = new Promise((resolve, reject) => {
      this.#opening = { resolve, reject };
    });
    this.#attempt(this.#generation);
    return this.#started;
  }

  async stop({ timeoutMs = 10_000 } = {}) {
    this.#generation += 1;
    this.#status = "closed";
    clearTimeout(this.#reconnectTimer);
    this.#started = undefined;
    this.#opening?.reject(socketError("connect_failed", "stop() was called before the long connection opened"));
    this.#opening = undefined;
    // Running handlers finish, and their acks go out on the socket they came from.
    const giveUp = Date.now() + timeoutMs;
    let drained = true;
    while (this.#running.size > 0) {
      const settled = await settleBefore(Promise.all([...this.#running]), giveUp);
      if (settled.late) {
        drained = false;
        // Every handler still running is told (its signal aborts) and its lease left to expire.
        this.#delivery.abortAll(
          endpointError("drain_timeout", `stop() gave up after timeoutMs (${timeoutMs} ms) with this handler still running; its lease is left to expire and the platform's redelivery runs the event again`),
        );
        break;
      }
    }
    this.#session?.close();
    this.#session = undefined;
    return drained;
  }

  #track(promise) {
    const settled = promise.then(
      () => {},
      () => {},
    );
    this.#running.add(settled);
    settled.then(() => this.#running.delete(settled));
    return promise;
  }

  #report(error, inbound) {
    try {
      const result = this.#o.onError(error, inbound, { transport: "long_connection" });
      if (result && typeof result.then === "function") this.#track(Promise.resolve(result));
    } catch {
      // onError itself failed; nothing more to do.
    }
  }

  async #attempt(mine) {
    this.#reconnectTimer = undefined;
    if (mine !== this.#generation) return;
    try {
      if (!(await this.#connectOnce(mine))) return;
      this.#failures = 0;
      this.#status = "open";
      this.#opening?.resolve();
      this.#opening = undefined;
    } catch (error) {
      if (mine !== this.#generation) return;
      if (error?.fatal) return this.#fail(error);
      this.#report(error);
      if (mine !== this.#generation) return; // onError called stop()
      this.#failures += 1;
      const { ReconnectCount } = this.#config;
      if (ReconnectCount >= 0 && this.#failures > ReconnectCount) {
        return this.#fail(socketError("reconnect_exhausted", `${this.#failures} connection attempts failed in a row (ReconnectCount ${ReconnectCount}); the long connection gave up`));
      }
      this.#schedule(mine);
    }
  }

  // true once a socket is open and running; false when stop() came first.
  async #connectOnce(mine) {
    this.#codec ??= makeCodec(this.#runtime.loadTools(), fromCore);
    const { base, appId, appSecret } = this.#o;
    const endpoint = await callEndpoint({ base, appId, appSecret, scrub: this.#scrub });
    this.#config = { ...this.#config, ...this.#codec.clientConfig(endpoint.clientConfig) };
    let socket;
    try {
      socket = await this.#runtime.openSocket(endpoint.url, { timeoutMs: CONNECT_TIMEOUT_MS });
    } catch (error) {
      throw handshakeError(error, this.#scrub);
    }
    if (mine !== this.#generation) {
      socket.close();
      return false;
    }
    this.#session = this.#open(socket, endpoint.service);
    return true;
  }

  #fail(error) {
    this.#status = "failed";
    this.#report(error);
    this.#opening?.reject(error);
    this.#opening = undefined;
  }

  #schedule(mine) {
    const { ReconnectInterval, ReconnectNonce } = this.#config;
    this.#reconnectTimer = setTimeout(() => this.#attempt(mine), ReconnectInterval * 1000 + Math.random() * ReconnectNonce * 1000);
  }

  #open(socket, service) {
    const { maxBodyBytes, fragmentTimeoutMs, clock } = this.#o;
    const session = new Session({
      socket,
      codec: this.#codec,
      service,
      maxBodyBytes,
      fragmentTimeoutMs,
      hooks: {
        config: () => this.#config,
        applyConfig: (update) => {
          this.#config = { ...this.#config, ...update };
        },
        onMessage: (head, payload, frameBytes) => this.#handle(session, head, payload, frameBytes),
        onLost: (code, message) => this.#lost(session, code, message),
        report: (error) => this.#report(error),
        taking: () => this.#status !== "closed",
        clock,
      },
    });
    return session;
  }

  #lost(session, code, message) {
    if (this.#session === session) this.#session = undefined;
    if (this.#status === "closed" || this.#status === "failed") return;
    this.#status = "reconnecting";
    const mine = this.#generation;
    this.#report(socketError(code, message));
    if (mine === this.#generation) this.#schedule(mine);
  }

  #handle(session, head, payload, frameBytes) {
    const started = performance.now();
    const { deadlineMs, clock } = this.#o;
    const deadline = Date.now() + deadlineMs;
    const context = { transport: "long_connection", type: head.type, message_id: head.message_id, trace_id: head.trace_id };
    const work = (async () => {
      let inbound;
      try {
        inbound = this.#hook.parse({ headers: {}, body: payload, now: clock() / 1000 });
      } catch (error) {
        this.#report(head.type === "card" ? cardFrameRefusal(error) : error);
        return { code: 500 };
      }
      if (inbound.kind === "challenge") return { code: 200 };
      return this.#delivery.deliver(inbound, head.type, context, deadline);
    })();
    this.#track(
      work.then(({ code, data }) => {
        const bizRt = Math.max(0, Math.round(performance.now() - started));
        session.send(this.#codec.ack(frameBytes, code, data, bizRt));
      }),
    );
  }
}

/** createLongConnection over a runtime's LarkWebhook and its tools module loader. */
export function makeLongConnectionApi({ LarkWebhook, loadTools, openSocket = openDefault }) {
  /** See types/socket.d.ts: { start(), stop(), status, pending }. */
  function createLongConnection(options = {}) {
    const connection = new LongConnection(options, { LarkWebhook, loadTools, openSocket });
    return Object.freeze({
      start: () => connection.start(),
      stop: (stopOptions) => connection.stop(stopOptions),
      get status() {
        return connection.status;
      },
      get pending() {
        return connection.pending;
      },
    });
  }
  return { createLongConnection };
}
