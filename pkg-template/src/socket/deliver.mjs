// One merged message through the handler, with createHandler's guarantee
// and its machinery (endpoint/lease.mjs): the event's lease taken in the
// dedup store, renewed while the handler runs, `context.signal` aborting
// when it is lost or stop() gives up, done recorded or the lease released.
// Answers the ack's { code, data? }:
// - an event: 200 when the handler resolved (or the id was already done),
//   500 when it threw, the store failed, or it was still running at
//   deadlineMs (it keeps running; its outcome is recorded; the platform
//   redelivers and then finds the id done);
// - a card callback (a `card` frame, or card.action.trigger): 200 with the
//   handler's value as the answer (`{}` when it returns nothing), as a
//   callback is answered over HTTP.

import { handlerFor } from "../endpoint/delivery.mjs";
import { attempt, endpointError, makeLeases, settleBefore } from "../endpoint/lease.mjs";

const CARD_EVENT = "card.action.trigger";

/** Why a handler's value cannot be a card callback's answer, or undefined. */
function answerProblem(value) {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value) || Object.getPrototypeOf(value) !== Object.prototype) {
    return "a card callback handler must return a plain object ({ toast?, card? }) or nothing";
  }
  return undefined;
}

/** { deliver(inbound, type, context, deadline) -> { code, data? }, abortAll(reason) }. */
export function makeSocketDelivery({ on, store, deadlineMs, leaseSeconds, report, track }) {
  const leases = makeLeases();

  // { state, lease? } from the store, or undefined when it failed or was late (reported).
  async function claim(store, inbound, deadline) {
    const id = inbound.header.event_id;
    const acquiring = leases.acquire(store, id, leaseSeconds, { report: (e) => report(e, inbound) });
    const settled = await settleBefore(acquiring, deadline);
    if (settled.late) {
      // The store may still grant the lease: give it back, nobody will run it.
      track(acquiring.then((taken) => taken.lease?.failed()));
      report(endpointError("dedup_unavailable", `the dedup store did not answer begin for event ${id} within deadlineMs (${deadlineMs} ms); the platform will redeliver`), inbound);
      return undefined;
    }
    if (!settled.ok) {
      report(settled.error, inbound);
      return undefined;
    }
    return settled.value;
  }

  // The handler under its lease; `handled` settles with the handler, `finished` once done or release is through.
  function run(fn, inbound, context, lease, deadline) {
    const handled = attempt(() => fn(inbound, { ...context, signal: lease.signal }));
    const finished = handled.then(
      async () => {
        // After the deadline the ack is given: record done for as long as it takes.
        await lease.succeeded({ deadline: Date.now() < deadline ? deadline : Infinity });
        track(lease.pending);
      },
      async (error) => {
        await lease.failed();
        report(error, inbound);
      },
    );
    track(finished);
    return { handled, finished };
  }

  async function deliverEvent(inbound, context, deadline) {
    const id = inbound.header.event_id;
    const fn = handlerFor(on, inbound.event_type);
    const taken = await claim(store, inbound, deadline);
    if (taken === undefined) return { code: 500 };
    if (taken.state === "done") return { code: 200 };
    if (taken.state === "in_progress") {
      report(endpointError("in_progress", `another delivery of event ${id} is being handled; the platform's redelivery will get its outcome`), inbound);
      return { code: 500 };
    }
    if (fn === undefined) {
      await taken.lease.succeeded({ deadline });
      track(taken.lease.pending);
      return { code: 200 };
    }
    const { handled, finished } = run(fn, inbound, context, taken.lease, deadline);
    const settled = await settleBefore(handled, deadline);
    if (settled.late) {
      report(endpointError("in_progress", `the handler for event ${id} is still running after deadlineMs (${deadlineMs} ms); it keeps running and the platform will redeliver`), inbound);
      return { code: 500 };
    }
    // Done recorded (or, failing that by the deadline, kept trying), or the lease released.
    await settleBefore(finished, deadline);
    return { code: settled.ok ? 200 : 500 };
  }

  async function deliverCard(inbound, context, deadline) {
    const fn = handlerFor(on, inbound.event_type);
    const id = inbound.header?.event_id;
    // Without an event_id there is nothing to deduplicate on: the lease is only a signal.
    const taken = await claim(typeof id === "string" && id !== "" ? store : false, inbound, deadline);
    // A duplicate, or a store that failed: answered without a change (callbacks are not redelivered).
    if (taken?.state !== "new") return { code: 200, data: "{}" };
    if (fn === undefined) {
      await taken.lease.succeeded({ deadline });
      track(taken.lease.pending);
      return { code: 200, data: "{}" };
    }
    const { handled } = run(fn, inbound, context, taken.lease, deadline);
    const settled = await settleBefore(handled, deadline);
    // Still running: answered without a change; the card can be updated later with event.token.
    if (settled.late) return { code: 200, data: "{}" };
    if (!settled.ok) return { code: 500 };
    const problem = answerProblem(settled.value);
    if (problem) {
      report(endpointError("handler_failed", problem), inbound);
      return { code: 500 };
    }
    return { code: 200, data: JSON.stringify(settled.value ?? {}) };
  }

  return {
    /** The ack's { code, data? } for a parsed message of frame type `type`. */
    deliver(inbound, type, context, deadline) {
      const isCard = type === "card" || inbound.event_type === CARD_EVENT;
      return isCard ? deliverCard(inbound, context, deadline) : deliverEvent(inbound, context, deadline);
    },
    /** Gives up on every handler still running (stop() ran out of time): their signals abort, their leases expire. */
    abortAll(reason) {
      leases.abortAll(reason);
    },
  };
}
