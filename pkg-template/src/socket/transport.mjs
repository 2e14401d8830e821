// Opening the WebSocket. On Node, the `ws` package, an optional peer
// dependency of larkhook (imported here by start() only): the package has no
// runtime dependencies, and a Worker or a browser page never needs a socket
// library, so only the apps that use the long connection install it
// (`npm install larkhook ws`). Node 20 has no global WebSocket, and the
// standard WebSocket cannot read the handshake's response headers, which is
// where the platform says why it refused (Handshake-Status, Handshake-Msg,
// Handshake-Autherrcode). On Deno and Bun, their own WebSocket: a refused
// handshake is then only "the connection failed", and is retried.
//
// openSocket(url, options) resolves to an open socket:
//   { send(bytes), close(), terminate(), onMessage(fn(Uint8Array)), onClose(fn(reason)) }
// or rejects with an Error whose `handshake` is { status, message?, authCode? }
// when the platform refused the upgrade (Node), or a plain Error otherwise.

import { CONNECT_TIMEOUT_MS, MAX_FRAME_BYTES } from "./codes.mjs";

/** "node", "deno", "bun", or undefined where no socket can be opened. */
export function runtime() {
  if (typeof globalThis.Deno?.version?.deno === "string") return "deno";
  if (typeof globalThis.Bun?.version === "string") return "bun";
  if (typeof globalThis.process?.versions?.node === "string") return "node";
  return undefined;
}

function handshakeOf(response) {
  const header = (name) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const status = Number.parseInt(header("handshake-status") ?? "", 10);
  const authCode = Number.parseInt(header("handshake-autherrcode") ?? "", 10);
  return {
    status: Number.isFinite(status) && status !== 0 ? status : response.statusCode,
    httpStatus: response.statusCode,
    message: header("handshake-msg"),
    authCode: Number.isFinite(authCode) ? authCode : undefined,
  };
}

async function openWithWs(url, timeoutMs) {
  let WebSocket;
  try {
    ({ WebSocket } = await import("ws"));
  } catch (cause) {
    const error = new Error('the long connection needs the "ws" package on Node: `npm install ws` (an optional peer dependency of larkhook; Deno and Bun need nothing)');
    error.unsupported = true;
    error.cause = cause;
    throw error;
  }
  const socket = new WebSocket(url, { maxPayload: MAX_FRAME_BYTES, handshakeTimeout: timeoutMs, perMessageDeflate: false });
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error) => {
      if (settled) return;
      settled = true;
      socket.removeAllListeners();
      // ws reports errors of a discarded socket later: keep a sink so none is thrown.
      socket.on("error", () => {});
      try {
        socket.terminate();
      } catch {
        // already gone
      }
      reject(error);
    };
    socket.once("unexpected-response", (request, response) => {
      const handshake = handshakeOf(response);
      response.resume();
      const error = new Error(`the platform refused the WebSocket handshake (HTTP ${handshake.httpStatus}, Handshake-Status ${handshake.status})`);
      error.handshake = handshake;
      fail(error);
    });
    socket.once("error", (error) => fail(error));
    socket.once("open", () => {
      settled = true;
      socket.removeAllListeners();
      resolve(wrapWs(socket));
    });
  });
}

/**
 * The socket's frames and its close, kept from the moment the handshake
 * completed until the session subscribes: the platform may send a frame at
 * once, before the code that awaited the socket has resumed. What was kept
 * is handed over in order on the next microtask (the session subscribes
 * from its constructor, before it is ready to take a frame).
 */
export function handOver() {
  const kept = [];
  let closedWith;
  let onMessage;
  let onClose;
  let scheduled = false;
  const direct = () => onMessage !== undefined && onClose !== undefined && !scheduled && kept.length === 0 && closedWith === undefined;
  const flush = () => {
    scheduled = false;
    if (onMessage === undefined || onClose === undefined) return;
    while (kept.length > 0) onMessage(kept.shift());
    if (closedWith !== undefined) onClose(closedWith);
    closedWith = undefined;
  };
  const later = () => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(flush);
  };
  return {
    message(bytes) {
      if (direct()) return onMessage(bytes);
      kept.push(bytes);
      later();
    },
    close(reason) {
      if (direct()) return onClose(reason);
      closedWith = reason;
      later();
    },
    onMessage(fn) {
      onMessage = fn;
      later();
    },
    onClose(fn) {
      onClose = fn;
      later();
    },
  };
}

function wrapWs(socket) {
  const to = handOver();
  let closed = false;
  const finish = (reason) => {
    if (closed) return;
    closed = true;
    to.close(reason);
  };
  socket.on("message", (data) => {
    const bytes = Array.isArray(data) ? Buffer.concat(data) : data instanceof ArrayBuffer ? new Uint8Array(data) : data;
    to.message(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  });
  socket.on("close", (code) => finish(`closed (${code})`));
  socket.on("error", (error) => finish(`failed (${error?.code ?? error?.message ?? "error"})`));
  return {
    send(bytes) {
      if (socket.readyState !== 1) return false;
      socket.send(bytes, { binary: true });
      return true;
    },
    close() {
      try {
        socket.close(1000);
      } catch {
        // already closing
      }
      // A peer that never answers the close: give it a moment, then cut.
      setTimeout(() => socket.terminate(), 1000).unref?.();
    },
    terminate() {
      socket.terminate();
      finish("terminated");
    },
    onMessage: to.onMessage,
    onClose: to.onClose,
  };
}

function openWithStandard(url, timeoutMs) {
  const socket = new globalThis.WebSocket(url);
  socket.binaryType = "arraybuffer";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.onopen = socket.onerror = socket.onclose = null;
      socket.close();
      reject(new Error(`the WebSocket handshake did not complete within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.onerror = () => {
      clearTimeout(timer);
      socket.onopen = socket.onerror = socket.onclose = null;
      // The standard WebSocket does not say why: status and headers are not exposed.
      reject(new Error("the WebSocket connection failed (this runtime's WebSocket does not expose the handshake's answer)"));
    };
    socket.onopen = () => {
      clearTimeout(timer);
      resolve(wrapStandard(socket));
    };
  });
}

function wrapStandard(socket) {
  const to = handOver();
  let closed = false;
  const finish = (reason) => {
    if (closed) return;
    closed = true;
    to.close(reason);
  };
  socket.onmessage = (event) => {
    if (typeof event.data !== "string") to.message(new Uint8Array(event.data));
  };
  socket.onclose = (event) => finish(`closed (${event.code})`);
  socket.onerror = () => finish("failed");
  return {
    send(bytes) {
      if (socket.readyState !== 1) return false;
      socket.send(bytes);
      return true;
    },
    close() {
      socket.close(1000);
    },
    terminate() {
      socket.close(4000);
      finish("terminated");
    },
    onMessage: to.onMessage,
    onClose: to.onClose,
  };
}

/** Opens the socket for `url` (see the top of this file). */
export function openSocket(url, { timeoutMs = CONNECT_TIMEOUT_MS } = {}) {
  const where = runtime();
  if (where === "node") return openWithWs(url, timeoutMs);
  if ((where === "deno" || where === "bun") && typeof globalThis.WebSocket === "function") return openWithStandard(url, timeoutMs);
  const error = new Error("the long connection runs on Node ≥ 20, Deno and Bun (it needs an outgoing WebSocket that stays open); not on Workers or in browsers");
  error.unsupported = true;
  return Promise.reject(error);
}
