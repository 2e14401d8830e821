// The frame codec of the tools module (bindings/wasm/src/long_connection.rs)
// for one connection: read a message, build pings and acks. Reads the
// FrameReader's answer layout, in one place: a 4-byte little-endian length
// n, n bytes of JSON head (ASCII), then the merged payload.

import { FRAGMENT_LIMITS } from "./codes.mjs";

const ascii = new TextDecoder("latin1");
const encoder = new TextEncoder();

/** The codec over the tools glue, its failures as LarkWebhookErrors (`fromCore`). */
export function makeCodec(tools, fromCore) {
  const call = (fn) => {
    try {
      return fn();
    } catch (error) {
      throw fromCore(error, tools.CoreError);
    }
  };
  return {
    /** A reader for one connection, with its own fragment buffer. */
    reader(maxBytes, maxAgeMs) {
      const reader = new tools.FrameReader(FRAGMENT_LIMITS.maxFragments, maxBytes, maxAgeMs, FRAGMENT_LIMITS.maxPending);
      return {
        /** { head, payload? }: head is the frame's description; payload the whole message once complete. */
        read(bytes, nowMs) {
          const out = call(() => reader.read(bytes, nowMs));
          const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
          const length = view.getUint32(0, true);
          const head = JSON.parse(ascii.decode(out.subarray(4, 4 + length)));
          return { head, payload: head.complete ? out.subarray(4 + length) : undefined };
        },
        /** The incomplete messages dropped by age: [{ code, message, message_id }]. */
        expire(nowMs) {
          return JSON.parse(reader.expire(nowMs));
        },
        free() {
          reader.free();
        },
      };
    },
    ping(service) {
      return tools.pingFrame(service);
    },
    /** The ack of `frameBytes`: code 200/500, `data` (a JSON text) when given. */
    ack(frameBytes, code, data, bizRtMs) {
      return call(() => tools.ackFrame(frameBytes, code, data === undefined ? undefined : encoder.encode(data), bizRtMs));
    },
    /** The usable fields of a ClientConfig object (as the platform sent it), checked by the core. */
    clientConfig(value) {
      let text;
      try {
        text = JSON.stringify(value ?? null);
      } catch {
        return {};
      }
      return JSON.parse(tools.clientConfig(encoder.encode(text ?? "null"))) ?? {};
    },
  };
}
