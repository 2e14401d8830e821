// createLongConnection: events and card callbacks over a WebSocket the app
// opens itself (no public URL), with createHandler's guarantee. Node ≥ 20,
// Deno and Bun; the Node entries export it, the Workers and browser entries
// do not (a Worker cannot keep an outgoing socket open between requests).
//
// The life cycle: POST {domain}/callback/ws/endpoint with the App ID and
// Secret answers a socket URL and a ClientConfig; the socket is opened
// (the handshake's refusal read from its headers on Node); a ping goes out
// every PingInterval (pongs update the config); a socket with no frame for
// two ping intervals is dead and replaced; a closed or failed socket is
// reopened after ReconnectInterval plus up to ReconnectNonce of jitter, with a
// fresh URL. The frame codec is the core's (tools module, loaded by start()).

import { DEFAULTS } from "../core/codes.generated.mjs";
import { LarkWebhookError, fromCore } from "../core/errors.mjs";
import { DEFAULT_DEADLINE_MS, DEFAULT_LEASE_SECONDS, MemoryDedupStore, dedupStoreProblem } from "../endpoint/dedup.mjs";
import { handlersProblem, positiveNumberProblem, settleBefore } from "../endpoint/delivery.mjs";
import { makeCodec } from "./codec.mjs";
import { CONNECT_TIMEOUT_MS, DEFAULT_CLIENT_CONFIG, DOMAINS, ENDPOINT_CALL, ENDPOINT_PATH, FRAGMENT_LIMITS, SOCKET_CODES } from "./codes.mjs";
import { makeSocketDelivery } from "./deliver.mjs";
import { openSocket as openDefault } from "./transport.mjs";

function baseUrl(domain) {
  if (Object.hasOwn(DOMAINS, domain)) return DOMAINS[domain];
  if (typeof domain === "string" && /^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/.test(domain)) return domain.replace(/\/+$/, "");
  return undefined;
}

/** createLongConnection over a runtime's LarkWebhook and its tools module loader. */
export function makeLongConnectionApi({ LarkWebhook, loadTools, openSocket = openDefault }) {
  const configError = (message) => new LarkWebhookError("invalid_config", 500, `invalid configuration: ${message}`);
  const socketError = (code, message) => new LarkWebhookError(code, SOCKET_CODES[code], message);

  /** See types/socket.d.ts: { start(), stop(), status }. */
  function createLongConnection(options = {}) {
    if (options === null || typeof options !== "object") throw configError("createLongConnection expects an options object");
    const {
      appId,
      appSecret,
      domain = "feishu",
      on = {},
      onError = defaultOnError,
      dedup,
      deadlineMs = DEFAULT_DEADLINE_MS,
      leaseSeconds = DEFAULT_LEASE_SECONDS,
      maxBodyBytes = DEFAULTS.maxBodyBytes,
      fragmentTimeoutMs = FRAGMENT_LIMITS.maxAgeMs,
      clock = Date.now,
    } = options;
    const base = baseUrl(domain);
    const problem =
      (typeof appId === "string" && appId.trim() !== "" ? undefined : "appId must be the app's App ID (cli_…)") ??
      (typeof appSecret === "string" && appSecret.trim() !== "" ? undefined : "appSecret must be the app's App Secret") ??
      (base === undefined ? 'domain must be "feishu", "lark" or the Open Platform\'s base URL (https://…)' : undefined) ??
      handlersProblem(on) ??
      (typeof onError === "function" ? undefined : "onError must be a function") ??
      positiveNumberProblem(deadlineMs, "deadlineMs", "milliseconds") ??
      positiveNumberProblem(leaseSeconds, "leaseSeconds", "seconds") ??
      positiveNumberProblem(fragmentTimeoutMs, "fragmentTimeoutMs", "milliseconds") ??
      (typeof clock === "function" ? undefined : "clock must be a function returning milliseconds, like Date.now") ??
      (dedup === undefined ? undefined : dedupStoreProblem(dedup));
    if (problem) throw configError(problem);
    // The payload is plain JSON on an authenticated socket: typed by the same
    // core as a webhook delivery, with nothing to verify (no key, no token, no window).
    const hook = new LarkWebhook({ insecure: true, toleranceSeconds: null, maxBodyBytes });
    const store = dedup === undefined ? new MemoryDedupStore({ clock }) : dedup;
    const scrub = (text) => String(text ?? "").split(appSecret).join("[App Secret]").slice(0, 300);

    let status = "closed";
    let codec;
    let config = { ...DEFAULT_CLIENT_CONFIG };
    let generation = 0; // bumped by stop(): late work of an older start() stands down
    let current; // the open connection
    let opening; // { resolve, reject } of start()'s promise until the first open
    let startPromise;
    let reconnectTimer;
    let failures = 0;
    const running = new Set();

    function track(promise) {
      const settled = promise.then(
        () => {},
        () => {},
      );
      running.add(settled);
      settled.then(() => running.delete(settled));
      return promise;
    }

    function report(error, inbound) {
      try {
        const result = onError(error, inbound, { transport: "long_connection" });
        if (result && typeof result.then === "function") track(Promise.resolve(result));
      } catch {
        // onError itself failed; nothing more to do.
      }
    }

    const deliver = makeSocketDelivery({ LarkWebhookError, on, store, deadlineMs, leaseSeconds, report, track });

    function applyConfig(update) {
      config = { ...config, ...update };
    }

    // The endpoint call: { url, service } or a thrown error with `fatal`.
    async function callEndpoint() {
      const fatal = (code, message) => Object.assign(socketError(code, message), { fatal: true });
      let response;
      try {
        response = await fetch(`${base}${ENDPOINT_PATH}`, {
          method: "POST",
          headers: { "content-type": "application/json", locale: "zh" },
          body: JSON.stringify({ AppID: appId, AppSecret: appSecret }),
          signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS),
        });
      } catch (cause) {
        throw socketError("connect_failed", `the endpoint call to ${base} failed (${scrub(cause?.cause?.code ?? cause?.name ?? "network error")}); retrying`);
      }
      let body;
      try {
        body = await response.json();
      } catch {
        body = undefined;
      }
      if (!response.ok || body === null || typeof body !== "object") {
        throw socketError("connect_failed", `the endpoint call to ${base} answered HTTP ${response.status}${body ? "" : " without JSON"}; retrying`);
      }
      const { code, msg } = body;
      const said = `code ${scrub(code)}${msg ? `: ${scrub(msg)}` : ""}`;
      if (code === ENDPOINT_CALL.systemBusy || code === ENDPOINT_CALL.internalError) {
        throw socketError("connect_failed", `the endpoint call was refused for now (${said}); retrying`);
      }
      if (code === ENDPOINT_CALL.connectionLimit) throw fatal("connection_limit", `the app has too many long connections open (${said}); close some (at most 50 per app)`);
      if (code === ENDPOINT_CALL.forbidden) throw fatal("forbidden", `the Open Platform forbids this app a long connection (${said})`);
      if (code !== ENDPOINT_CALL.ok) {
        throw fatal("auth_failed", `the Open Platform refused the App ID / App Secret (${said}); check both, and that the app is a custom app using the long connection`);
      }
      const url = body.data?.URL;
      if (typeof url !== "string" || !/^wss?:\/\//.test(url)) throw socketError("connect_failed", "the endpoint call answered no socket URL; retrying");
      applyConfig(codec.clientConfig(body.data?.ClientConfig));
      const service = Number.parseInt(new URL(url).searchParams.get("service_id") ?? "0", 10);
      return { url, service: Number.isInteger(service) && Math.abs(service) < 2 ** 31 ? service : 0 };
    }

    function handshakeError(error) {
      const fatal = (code, message) => Object.assign(socketError(code, message), { fatal: true });
      if (error?.unsupported) return fatal("unsupported_runtime", error.message);
      const handshake = error?.handshake;
      if (handshake === undefined) return socketError("connect_failed", `the socket could not be opened (${scrub(error?.code ?? error?.message)}); retrying`);
      const said = `Handshake-Status ${handshake.status}${handshake.authCode === undefined ? "" : `, Handshake-Autherrcode ${handshake.authCode}`}${handshake.message ? `: ${scrub(handshake.message)}` : ""}`;
      if (handshake.status === ENDPOINT_CALL.authFailed && handshake.authCode === ENDPOINT_CALL.connectionLimit) {
        return fatal("connection_limit", `the app has too many long connections open (${said}); close some (at most 50 per app)`);
      }
      if (handshake.status === ENDPOINT_CALL.authFailed && handshake.authCode !== ENDPOINT_CALL.internalError) {
        return fatal("auth_failed", `the platform refused the socket's authentication (${said})`);
      }
      if (handshake.status === ENDPOINT_CALL.forbidden) return fatal("forbidden", `the platform forbids this socket (${said})`);
      return socketError("connect_failed", `the platform refused the socket for now (${said}); retrying`);
    }

    async function connectOnce(mine) {
      codec ??= makeCodec(loadTools(), fromCore);
      const endpoint = await callEndpoint();
      let socket;
      try {
        socket = await openSocket(endpoint.url, { timeoutMs: CONNECT_TIMEOUT_MS });
      } catch (error) {
        throw handshakeError(error);
      }
      if (mine !== generation) {
        socket.close();
        return false;
      }
      attach(socket, endpoint.service);
      return true;
    }

    async function attempt(mine) {
      reconnectTimer = undefined;
      if (mine !== generation) return;
      try {
        if (!(await connectOnce(mine))) return;
        failures = 0;
        status = "open";
        opening?.resolve();
        opening = undefined;
      } catch (error) {
        if (mine !== generation) return;
        if (error?.fatal) return fail(error);
        report(error);
        if (mine !== generation) return; // onError called stop()
        failures += 1;
        if (config.ReconnectCount >= 0 && failures > config.ReconnectCount) {
          return fail(socketError("reconnect_exhausted", `${failures} connection attempts failed in a row (ReconnectCount ${config.ReconnectCount}); the long connection gave up`));
        }
        schedule(mine);
      }
    }

    function fail(error) {
      status = "failed";
      report(error);
      opening?.reject(error);
      opening = undefined;
    }

    function schedule(mine) {
      const delay = config.ReconnectInterval * 1000 + Math.random() * config.ReconnectNonce * 1000;
      reconnectTimer = setTimeout(() => attempt(mine), delay);
    }

    function attach(socket, service) {
      const reader = codec.reader(maxBodyBytes, fragmentTimeoutMs);
      const connection = { socket, reader, live: true };
      let pingTimer;
      let watchdog;
      const expiry = setInterval(
        () => {
          for (const e of reader.expire(clock())) report(new LarkWebhookError(e.code, 400, `${e.message} (message_id ${e.message_id})`));
        },
        Math.min(1000, fragmentTimeoutMs / 2),
      );
      const ping = () => {
        socket.send(codec.ping(service));
        pingTimer = setTimeout(ping, config.PingInterval * 1000);
      };
      const arm = () => {
        clearTimeout(watchdog);
        watchdog = setTimeout(() => lose("socket_silent", `no frame for two ping intervals (${2 * config.PingInterval} s): the socket is treated as dead and replaced`), 2 * config.PingInterval * 1000);
      };
      const lose = (code, message) => {
        if (!connection.live) return;
        connection.live = false;
        clearTimeout(pingTimer);
        clearTimeout(watchdog);
        clearInterval(expiry);
        reader.free();
        if (current === connection) current = undefined;
        socket.onClose(() => {});
        socket.terminate();
        if (status === "closed" || status === "failed") return;
        status = "reconnecting";
        const mine = generation;
        report(socketError(code, message));
        if (mine === generation) schedule(mine);
      };
      connection.stop = () => {
        connection.live = false;
        clearTimeout(pingTimer);
        clearTimeout(watchdog);
        clearInterval(expiry);
        reader.free();
        socket.onClose(() => {});
        socket.close();
      };
      socket.onClose((reason) => lose("socket_closed", `the socket ${reason}; reconnecting`));
      socket.onMessage((bytes) => {
        if (!connection.live) return;
        arm();
        let read;
        try {
          read = reader.read(bytes, clock());
        } catch (error) {
          report(error);
          return;
        }
        const { head, payload } = read;
        if (head.method === 0) {
          const update = head.type === "pong" ? head.config : null;
          if (update) {
            const before = config.PingInterval;
            applyConfig(update);
            if (config.PingInterval !== before) {
              clearTimeout(pingTimer);
              pingTimer = setTimeout(ping, config.PingInterval * 1000);
              arm();
            }
          }
          return;
        }
        if (head.method === 1 && payload !== undefined && status !== "closed") handle(connection, head, payload, bytes);
      });
      current = connection;
      arm();
      ping();
    }

    function handle(connection, head, payload, frameBytes) {
      const started = performance.now();
      const deadline = Date.now() + deadlineMs;
      const context = { transport: "long_connection", type: head.type, message_id: head.message_id, trace_id: head.trace_id };
      const work = (async () => {
        let inbound;
        try {
          inbound = hook.parse({ headers: {}, body: payload, now: clock() / 1000 });
        } catch (error) {
          report(error);
          return { code: 500 };
        }
        if (inbound.kind === "challenge") return { code: 200 };
        return deliver(inbound, head.type, context, deadline);
      })();
      track(
        work.then(({ code, data }) => {
          const bizRt = Math.max(0, Math.round(performance.now() - started));
          // On the socket that received it; if that one is gone, the platform redelivers.
          if (connection.live) connection.socket.send(codec.ack(frameBytes, code, data, bizRt));
        }),
      );
    }

    function start() {
      if (startPromise !== undefined && status !== "failed") return startPromise;
      generation += 1;
      failures = 0;
      status = "connecting";
      startPromise = new Promise((resolve, reject) => {
        opening = { resolve, reject };
      });
      attempt(generation);
      return startPromise;
    }

    async function stop({ timeoutMs = 10_000 } = {}) {
      generation += 1;
      status = "closed";
      clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      startPromise = undefined;
      opening?.reject(socketError("connect_failed", "stop() was called before the long connection opened"));
      opening = undefined;
      // Running handlers finish, and their acks go out on the socket they came from.
      const giveUp = Date.now() + timeoutMs;
      let drained = true;
      while (running.size > 0) {
        const settled = await settleBefore(Promise.all([...running]), giveUp);
        if (settled.late) {
          drained = false;
          break;
        }
      }
      current?.stop();
      current = undefined;
      return drained;
    }

    return Object.freeze({
      start,
      stop,
      get status() {
        return status;
      },
      /** Handlers and acks still running. */
      get pending() {
        return running.size;
      },
    });
  }

  function defaultOnError(error, inbound) {
    const where = inbound ? ` for ${inbound.event_type} ${inbound.header?.event_id}` : "";
    console.error(`larkhook long connection: ${error?.code ?? "error"}${where}:`, error?.message ?? error);
  }

  return { createLongConnection };
}
