// Deduplication across isolates, regions and restarts: one Durable Object
// per event id, holding a lease while an attempt runs (renewed by its owner
// with extend while the handler runs) and "done" for the TTL the handler
// asks for (8 hours, longer than the platform's retries), kept at least
// DEDUP_TTL_SECONDS longer by every begin that finds it done.
//
// Why not Workers KV: KV is eventually consistent. Two isolates can both read
// "absent" and both run the handler, and a write can take a minute to be seen
// elsewhere, so it cannot make begin atomic. A Durable Object is one instance
// worldwide whose storage calls are serialized by its input gate: between the
// get and the put in begin no other request to the object runs.
import { DurableObject } from "cloudflare:workers";
import { DEDUP_TTL_SECONDS } from "larkhook";

export class DedupObject extends DurableObject {
  /** "new" (this owner now holds a lease), "done" (kept at least DEDUP_TTL_SECONDS from now) or "in_progress". */
  async begin(leaseSeconds, owner) {
    const now = Date.now();
    const entry = await this.ctx.storage.get("entry");
    if (entry && entry.until > now && entry.owner === undefined) {
      const kept = now + DEDUP_TTL_SECONDS * 1000;
      if (entry.until < kept) await this.#write({ until: kept });
      return "done";
    }
    if (entry && entry.until > now) return "in_progress";
    await this.#write({ until: now + leaseSeconds * 1000, owner: String(owner ?? "") });
    return "new";
  }

  /** Renews `owner`'s live lease for leaseSeconds from now: true, or false when the lease is not (or no longer) theirs. */
  async extend(leaseSeconds, owner) {
    const now = Date.now();
    const entry = await this.ctx.storage.get("entry");
    if (!entry || entry.owner === undefined || entry.until <= now || entry.owner !== String(owner)) return false;
    await this.#write({ until: now + leaseSeconds * 1000, owner: entry.owner });
    return true;
  }

  /** Handled: remembered for ttlSeconds, whoever held the lease. */
  async done(ttlSeconds) {
    await this.#write({ until: Date.now() + ttlSeconds * 1000 });
  }

  /** Gives up `owner`'s lease (any lease when owner is undefined); never a done entry. */
  async release(owner) {
    const entry = await this.ctx.storage.get("entry");
    if (!entry || entry.owner === undefined) return;
    if (owner !== undefined && entry.owner !== String(owner)) return;
    await this.ctx.storage.deleteAll();
    await this.ctx.storage.deleteAlarm();
  }

  // The alarm fires when the entry expires and deletes the object's storage,
  // so the namespace does not grow with every event ever seen.
  async alarm() {
    const entry = await this.ctx.storage.get("entry");
    if (entry && entry.until > Date.now()) {
      await this.ctx.storage.setAlarm(entry.until);
      return;
    }
    await this.ctx.storage.deleteAll();
  }

  async #write(entry) {
    await this.ctx.storage.put("entry", entry);
    await this.ctx.storage.setAlarm(entry.until);
  }
}

/** larkhook's dedup store interface (begin / extend / done / release) over the DEDUP namespace. */
export class DurableObjectDedupStore {
  constructor(namespace) {
    if (!namespace || typeof namespace.idFromName !== "function") {
      throw new TypeError("DurableObjectDedupStore needs the DEDUP Durable Object binding (see wrangler.toml)");
    }
    this.namespace = namespace;
  }

  #object(eventId) {
    return this.namespace.get(this.namespace.idFromName(eventId));
  }

  begin(eventId, leaseSeconds, owner) {
    return this.#object(eventId).begin(leaseSeconds, owner);
  }

  extend(eventId, leaseSeconds, owner) {
    return this.#object(eventId).extend(leaseSeconds, owner);
  }

  done(eventId, ttlSeconds) {
    return this.#object(eventId).done(ttlSeconds);
  }

  release(eventId, owner) {
    return this.#object(eventId).release(owner);
  }
}
