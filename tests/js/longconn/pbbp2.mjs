// The long connection's two protobuf messages, declared for protobufjs (the
// library the official Node client encodes with) from the field table in the
// official clients: an encoder and decoder independent of larkhook's Rust
// codec, used by the stand-in platform and to make tests/vectors/frames.json.
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const protobuf = require("protobufjs");

const root = protobuf.Root.fromJSON({
  nested: {
    pbbp2: {
      nested: {
        Header: {
          fields: {
            key: { rule: "required", type: "string", id: 1 },
            value: { rule: "required", type: "string", id: 2 },
          },
        },
        Frame: {
          fields: {
            SeqID: { rule: "required", type: "uint64", id: 1 },
            LogID: { rule: "required", type: "uint64", id: 2 },
            service: { rule: "required", type: "int32", id: 3 },
            method: { rule: "required", type: "int32", id: 4 },
            headers: { rule: "repeated", type: "Header", id: 5 },
            payload_encoding: { type: "string", id: 6 },
            payload_type: { type: "string", id: 7 },
            payload: { type: "bytes", id: 8 },
            LogIDNew: { type: "string", id: 9 },
          },
        },
      },
    },
  },
});

const Frame = root.lookupType("pbbp2.Frame");

/** Bytes of a frame given as { SeqID, LogID, service, method, headers: [{key, value}], payload?, ... }. */
export function encodeFrame(frame) {
  return Frame.encode(Frame.fromObject({ SeqID: 0, LogID: 0, service: 0, method: 0, ...frame })).finish();
}

/** A frame from bytes, 64-bit ids as decimal strings, payload as a Uint8Array (or undefined). */
export function decodeFrame(bytes) {
  const message = Frame.decode(bytes);
  const object = Frame.toObject(message, { longs: String, defaults: false, arrays: true });
  return { SeqID: "0", LogID: "0", service: 0, method: 0, ...object, payload: Object.hasOwn(message, "payload") ? message.payload : undefined };
}

/** The value of a frame's first header named `key`. */
export function headerOf(frame, key) {
  return frame.headers?.find((h) => h.key === key)?.value;
}
