// One merged message through the handler, with createHandler's guarantee
// and its machinery (endpoint/lease.mjs): the event's lease taken in the
// dedup store, renewed while the handler runs, `context.signal` aborting
// when it is lost or stop() gives up, done recorded or the lease released.
// Answers the ack's { code, data? }:
// - an event: 200 when the handler resolved (or the id was already done),
//   500 when it threw, the store failed, or it was still running at
//   deadlineMs (it keeps running; its outcome is recorded; the platform
//   redelivers and then finds the id done);
// - a card callback (a `card` frame, or card.action.trigger on an `event`
//   frame): run by createHandler's own callback runner
//   (endpoint/callback.mjs), so the socket answers exactly what HTTP
//   answers: 200 with the answer in `data` wherever HTTP answers 200 (the
//   handler's value, `{}` for nothing, a duplicate or a late handler, the
//   error toast after a throw), 500 where HTTP answers 5xx.

import { LarkWebhookError } from "../core/errors.mjs";
import { errorToast, isCallback, makeCallbackRunner } from "../endpoint/callback.mjs";
import { handlerFor } from "../endpoint/delivery.mjs";
import { attempt, endpointError, makeLeases, settleBefore } from "../endpoint/lease.mjs";

/** The ack of a callback from the answer HTTP would give: `{ status, body }` → `{ code, data? }`. */
export function callbackAck({ status, body }) {
  return status >= 200 && status < 300 ? { code: 200, data: JSON.stringify(body) } : { code: 500 };
}

/**
 * `error` from parsing a `card` frame, said for the long connection: the
 * legacy message-card callback (`card_action`, a body with no `schema`) is
 * delivered only to a request URL, never over the long connection (the
 * platform's "receive callbacks through the long connection" page), so a
 * `card` frame the core cannot place is refused, with that said.
 */
export function cardFrameRefusal(error) {
  if (!(error instanceof LarkWebhookError) || error.code !== "unsupported_schema") return error;
  const said =
    "on the long connection a `card` frame carries card.action.trigger (schema 2.0); the legacy message-card callback is sent only to a request URL, so handle it with createHandler";
  return new LarkWebhookError(error.code, error.status, `${error.message}; ${said}`);
}

/** { deliver(inbound, type, context, deadline) -> { code, data? }, abortAll(reason) }. */
export function makeSocketDelivery({ on, store, deadlineMs, leaseSeconds, callbackErrorToast, report, track }) {
  const leases = makeLeases();
  const runCallback = makeCallbackRunner({ on, store, leases, leaseSeconds, toast: errorToast(callbackErrorToast), report, track });

  // { state, lease? } from the store, or undefined when it failed or was late (reported).
  async function claim(inbound, deadline) {
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
    const taken = await claim(inbound, deadline);
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

  return {
    /** The ack's { code, data? } for a parsed message of frame type `type`. */
    async deliver(inbound, type, context, deadline) {
      if (type === "card" || isCallback(inbound)) return callbackAck(await runCallback(inbound, context, deadline));
      return deliverEvent(inbound, context, deadline);
    },
    /** Gives up on every handler still running (stop() ran out of time): their signals abort, their leases expire. */
    abortAll(reason) {
      leases.abortAll(reason);
    },
  };
}
