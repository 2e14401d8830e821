// A dedup store in Redis over your client (node-redis v4+ or ioredis; no
// dependency). One key per id: "done" or "lease:<owner>", with PX expiry.
// Each operation is one command or one Lua script, so it is atomic: begin
// (SET NX, or a done hit that keeps the id at least DEDUP_TTL_SECONDS
// longer), extend and release (compare, then expire or delete).

import { LarkWebhookError } from "../core/errors.mjs";
import { DEDUP_TTL_SECONDS } from "./dedup.mjs";
import { newOwner } from "./lease.mjs";

const DONE = "done";
const LEASE = "lease:";

// ARGV: the lease value, its ms, the done TTL's ms. "new", "done" (its expiry
// pushed to at least the done TTL from now; a key without expiry keeps none)
// or "in_progress".
const BEGIN_SCRIPT = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
  return 'new'
end
if redis.call('GET', KEYS[1]) == 'done' then
  local left = redis.call('PTTL', KEYS[1])
  if left >= 0 and left < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
  return 'done'
end
return 'in_progress'`;

// Renews the key's expiry only if it holds this owner's lease: 1, else 0.
const EXTEND_SCRIPT = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0`;

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
    const lease = milliseconds(leaseSeconds, "leaseSeconds");
    const state = await this.#run(["EVAL", BEGIN_SCRIPT, "1", this.#prefix + eventId, LEASE + String(owner), lease, milliseconds(DEDUP_TTL_SECONDS, "ttlSeconds")]);
    return String(state);
  }

  async extend(eventId, leaseSeconds, owner) {
    checkId(eventId);
    if (typeof owner !== "string" || owner === "") throw new TypeError("owner must be the non-empty token passed to begin");
    const renewed = await this.#run(["EVAL", EXTEND_SCRIPT, "1", this.#prefix + eventId, LEASE + owner, milliseconds(leaseSeconds, "leaseSeconds")]);
    return Number(renewed) === 1;
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
