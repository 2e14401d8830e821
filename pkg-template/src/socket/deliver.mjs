// One merged message through the handler, with createHandler's guarantee:
// deduplicated by event_id with begin / done / release, acknowledged only
// once the outcome is known. Answers the ack's { code, data? }:
// - an event: 200 when the handler resolved (or the id was already done),
//   500 when it threw, the store failed, or it was still running at
//   deadlineMs (it keeps running; its outcome is recorded; the platform
//   redelivers and then finds the id done);
// - a card callback (a `card` frame, or card.action.trigger): 200 with the
//   handler's value as the answer (`{}` when it returns nothing), as a
//   callback is answered over HTTP.

import { attempt, handlerFor, leases, newOwner, settleBefore } from "../endpoint/delivery.mjs";

const CARD_EVENT = "card.action.trigger";

/** Why a handler's value cannot be a card callback's answer, or undefined. */
function answerProblem(value) {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) {
    return "a card callback handler must return a plain object ({ toast?, card? }) or nothing";
  }
  return undefined;
}

export function makeSocketDelivery({ LarkWebhookError, on, store, deadlineMs, leaseSeconds, report, track }) {
  const failed = (code, message) => new LarkWebhookError(code, 500, message);

  // The handler's run, its outcome recorded whenever it settles: { ok, value } or { ok: false }.
  function run(fn, inbound, context, owner) {
    const id = inbound.header.event_id;
    return track(
      attempt(() => fn(inbound, context)).then(
        async (value) => {
          if (owner !== undefined) await leases.finish(store, id, owner, true, (e) => report(e, inbound));
          return { ok: true, value };
        },
        async (error) => {
          if (owner !== undefined) await leases.finish(store, id, owner, false, (e) => report(e, inbound));
          report(error, inbound);
          return { ok: false };
        },
      ),
    );
  }

  // "new" (the caller holds the lease), "done", "in_progress", or undefined when the store failed or was late.
  async function claim(inbound, owner, deadline) {
    const id = inbound.header.event_id;
    const begun = leases.begin(store, id, leaseSeconds, owner);
    const settled = await settleBefore(begun, deadline);
    if (settled.late) {
      // The store may still grant the lease: give it back, nobody will run it.
      track(begun.then((state) => (state === "new" ? leases.finish(store, id, owner, false, (e) => report(e, inbound)) : undefined)));
      report(new LarkWebhookError("dedup_unavailable", 503, `the dedup store did not answer begin for event ${id} within deadlineMs (${deadlineMs} ms); the platform will redeliver`), inbound);
      return undefined;
    }
    if (!settled.ok) {
      report(settled.error, inbound);
      return undefined;
    }
    return settled.value;
  }

  async function deliverEvent(inbound, context, deadline) {
    const id = inbound.header.event_id;
    const fn = handlerFor(on, inbound.event_type);
    let owner;
    if (store !== false) {
      owner = newOwner();
      const state = await claim(inbound, owner, deadline);
      if (state === undefined) return { code: 500 };
      if (state === "done") return { code: 200 };
      if (state === "in_progress") {
        report(new LarkWebhookError("in_progress", 503, `another delivery of event ${id} is being handled; the platform's redelivery will get its outcome`), inbound);
        return { code: 500 };
      }
      if (fn === undefined) {
        await leases.finish(store, id, owner, true, (e) => report(e, inbound));
        return { code: 200 };
      }
    } else if (fn === undefined) {
      return { code: 200 };
    }
    const settled = await settleBefore(run(fn, inbound, context, owner), deadline);
    if (settled.late) {
      report(failed("in_progress", `the handler for event ${id} is still running after deadlineMs (${deadlineMs} ms); it keeps running and the platform will redeliver`), inbound);
      return { code: 500 };
    }
    return { code: settled.value.ok ? 200 : 500 };
  }

  async function deliverCard(inbound, context, deadline) {
    const fn = handlerFor(on, inbound.event_type);
    let owner;
    if (store !== false && typeof inbound.header?.event_id === "string" && inbound.header.event_id !== "") {
      owner = newOwner();
      const state = await claim(inbound, owner, deadline);
      // A duplicate, or a store that failed: answered without a change (callbacks are not redelivered).
      if (state !== "new") return { code: 200, data: "{}" };
    }
    if (fn === undefined) {
      if (owner !== undefined) await leases.finish(store, inbound.header.event_id, owner, true, (e) => report(e, inbound));
      return { code: 200, data: "{}" };
    }
    const settled = await settleBefore(run(fn, inbound, context, owner), deadline);
    // Still running: answered without a change; the card can be updated later with event.token.
    if (settled.late) return { code: 200, data: "{}" };
    if (!settled.value.ok) return { code: 500 };
    const problem = answerProblem(settled.value.value);
    if (problem) {
      report(failed("handler_failed", problem), inbound);
      return { code: 500 };
    }
    return { code: 200, data: JSON.stringify(settled.value.value ?? {}) };
  }

  /** The ack's { code, data? } for a parsed message of frame type `type`. */
  return function deliver(inbound, type, context, deadline) {
    const isCard = type === "card" || inbound.event_type === CARD_EVENT;
    return isCard ? deliverCard(inbound, context, deadline) : deliverEvent(inbound, context, deadline);
  };
}
