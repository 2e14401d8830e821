// One open socket of the long connection, from its handshake to its end:
// pings every PingInterval (a pong's configuration may change it), a
// watchdog that treats two ping intervals without any frame as a dead
// socket, fragment expiry, and every frame read through the core's codec.
// A complete data message goes to `onMessage(head, payload, frameBytes)`;
// the ack is sent with `send`, on this socket only (if it is gone, the
// platform redelivers).

import { LarkWebhookError } from "../core/errors.mjs";

export class Session {
  #socket;
  #reader;
  #codec;
  #service;
  #hooks;
  #pingTimer;
  #watchdog;
  #expiry;

  /**
   * `hooks`: config() (the current ClientConfig), applyConfig(update),
   * onMessage(head, payload, frameBytes), onLost(code, message), report(error),
   * taking() (false once stop() began: data frames are left unacknowledged),
   * clock().
   */
  constructor({ socket, codec, service, maxBodyBytes, fragmentTimeoutMs, hooks }) {
    this.#socket = socket;
    this.#codec = codec;
    this.#service = service;
    this.#hooks = hooks;
    this.#reader = codec.reader(maxBodyBytes, fragmentTimeoutMs);
    this.live = true;
    this.#expiry = setInterval(() => this.#expire(), Math.min(1000, fragmentTimeoutMs / 2));
    socket.onClose((reason) => this.#lose("socket_closed", `the socket ${reason}; reconnecting`));
    socket.onMessage((bytes) => this.#receive(bytes));
    this.#arm();
    this.#ping();
  }

  /** Sends bytes if the socket is still this session's; false otherwise. */
  send(bytes) {
    return this.live && this.#socket.send(bytes);
  }

  /** Ends the session without reporting it (stop()): a clean close. */
  close() {
    if (!this.#end()) return;
    this.#socket.close();
  }

  #ping() {
    this.#socket.send(this.#codec.ping(this.#service));
    this.#pingTimer = setTimeout(() => this.#ping(), this.#hooks.config().PingInterval * 1000);
  }

  #arm() {
    clearTimeout(this.#watchdog);
    const interval = this.#hooks.config().PingInterval;
    this.#watchdog = setTimeout(
      () => this.#lose("socket_silent", `no frame for two ping intervals (${2 * interval} s): the socket is treated as dead and replaced`),
      2 * interval * 1000,
    );
  }

  #expire() {
    for (const e of this.#reader.expire(this.#hooks.clock())) {
      this.#hooks.report(new LarkWebhookError(e.code, 400, `${e.message} (message_id ${e.message_id})`));
    }
  }

  // Stops every timer and the reader; false when the session had already ended.
  #end() {
    if (!this.live) return false;
    this.live = false;
    clearTimeout(this.#pingTimer);
    clearTimeout(this.#watchdog);
    clearInterval(this.#expiry);
    this.#reader.free();
    this.#socket.onClose(() => {});
    return true;
  }

  #lose(code, message) {
    if (!this.#end()) return;
    this.#socket.terminate();
    this.#hooks.onLost(code, message);
  }

  #receive(bytes) {
    if (!this.live) return;
    this.#arm();
    let read;
    try {
      read = this.#reader.read(bytes, this.#hooks.clock());
    } catch (error) {
      this.#hooks.report(error);
      return;
    }
    const { head, payload } = read;
    if (head.method === 0) {
      if (head.type === "pong" && head.config) this.#configure(head.config);
      return;
    }
    if (head.method === 1 && payload !== undefined && this.#hooks.taking()) this.#hooks.onMessage(head, payload, bytes);
  }

  // A pong's configuration: a new PingInterval reschedules the ping and the watchdog.
  #configure(update) {
    const before = this.#hooks.config().PingInterval;
    this.#hooks.applyConfig(update);
    const after = this.#hooks.config().PingInterval;
    if (after === before) return;
    clearTimeout(this.#pingTimer);
    this.#pingTimer = setTimeout(() => this.#ping(), after * 1000);
    this.#arm();
  }
}
