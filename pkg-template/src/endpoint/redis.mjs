// A dedup store in Redis over your client (node-redis v4+ or ioredis; no
// dependency). One key per id: "done" or "lease:<owner>", with PX expiry;
// begin is SET NX, release a compare-and-delete script.

import { LarkWebhookError } from "../core/errors.mjs";
import { newOwner } from "./delivery.mjs";

const DONE = "done";
const LEASE = "lease:";

// Deletes the key only if it holds this owner's lease (any lease for an empty owner).
const RELEASE_SCRIPT = `local v = redis.call('GET', KEYS[1])
if v and ((ARGV[1] ~= '' and v == ARGV[2] .. ARGV[1]) or (ARGV[1] == '' and string.sub(v, 1, string.len(ARGV[2])) == ARGV[2])) then
  return redis.call('DEL', KEYS[1])
end
return 0`;

function milliseconds(seconds, name) {
  if (typeof seconds !== "number" || !(seconds > 0) || !Number.isFinite(seconds)) throw new TypeError(`${name} must be a positive number of seconds`);
  return String(Math.max(1, Math.ceil(seconds * 1000)));
}

function checkId(eventId) {
  if (typeof eventId !== "string" || eventId === "") throw new TypeError("eventId must be a non-empty string");
}

// One raw command, whichever client: ioredis has call(name, ...args),
// node-redis has sendCommand([name, ...args]) (ioredis's sendCommand takes a
// Command object instead, so call is looked for first).
function commandRunner(client) {
  if (typeof client.call === "function") return (args) => client.call(...args);
  if (typeof client.sendCommand === "function") return (args) => client.sendCommand(args);
  return undefined;
}

export class RedisDedupStore {
  #run;
  #prefix;

  constructor(options = {}) {
    const { client, prefix = "larkhook:dedup:" } = options ?? {};
    const run = client && typeof client === "object" ? commandRunner(client) : undefined;
    if (run === undefined) {
      throw new LarkWebhookError(
        "invalid_config",
        500,
        "invalid configuration: RedisDedupStore needs { client }, a node-redis v4+ client (createClient from `redis`) or an ioredis client",
      );
    }
    if (typeof prefix !== "string") throw new LarkWebhookError("invalid_config", 500, "invalid configuration: prefix must be a string");
    this.#run = run;
    this.#prefix = prefix;
  }

  async begin(eventId, leaseSeconds, owner = newOwner()) {
    checkId(eventId);
    const key = this.#prefix + eventId;
    const set = await this.#run(["SET", key, LEASE + String(owner), "NX", "PX", milliseconds(leaseSeconds, "leaseSeconds")]);
    if (set === "OK") return "new";
    // A key that expired in between reads as in progress: it only delays the retry.
    const value = await this.#run(["GET", key]);
    return String(value) === DONE ? "done" : "in_progress";
  }

  async done(eventId, ttlSeconds) {
    checkId(eventId);
    await this.#run(["SET", this.#prefix + eventId, DONE, "PX", milliseconds(ttlSeconds, "ttlSeconds")]);
  }

  async release(eventId, owner = "") {
    checkId(eventId);
    await this.#run(["EVAL", RELEASE_SCRIPT, "1", this.#prefix + eventId, String(owner), LEASE]);
  }
}
