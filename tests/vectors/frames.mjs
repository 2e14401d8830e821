// Regenerates frames.json: long-connection frames encoded by protobufjs (the
// library the official Node client uses) from a schema written out of the
// official clients' field table (tests/js/longconn/pbbp2.mjs). The Rust
// codec is checked against these bytes (tests/frame.rs); nothing here calls
// larkhook. tests/js/longconn-codec.test.mjs checks the file is current.
//
// Usage: node tests/vectors/frames.mjs > tests/vectors/frames.json
import { encodeFrame } from "../js/longconn/pbbp2.mjs";

const text = (s) => new TextEncoder().encode(s);
const event = '{"schema":"2.0","header":{"event_id":"ev-1","event_type":"helpdesk.ticket.created_v1","create_time":"1700000000000"},"event":{"ticket_id":"6626871355780366331"}}';
const dataHeaders = (extra = []) => [
  { key: "type", value: "event" },
  { key: "message_id", value: "msg-1" },
  { key: "sum", value: "1" },
  { key: "seq", value: "0" },
  { key: "trace_id", value: "trace-1" },
  ...extra,
];

const cases = [
  { name: "ping", frame: { SeqID: 0, LogID: 0, service: 7, method: 0, headers: [{ key: "type", value: "ping" }] } },
  {
    name: "pong with a configuration",
    frame: { SeqID: 0, LogID: 0, service: 7, method: 0, headers: [{ key: "type", value: "pong" }], payload: text('{"PingInterval":90,"ReconnectCount":-1,"ReconnectInterval":120,"ReconnectNonce":30}') },
  },
  {
    name: "a whole event, every field, 64-bit ids at their maximum",
    frame: {
      SeqID: "18446744073709551615",
      LogID: "9007199254740993",
      service: 2147483647,
      method: 1,
      headers: dataHeaders(),
      payload_encoding: "",
      payload_type: "json",
      payload: text(event),
      LogIDNew: "log-新-1",
    },
  },
  { name: "a negative service", frame: { SeqID: 1, LogID: 2, service: -1, method: 1, headers: [{ key: "type", value: "card" }] } },
  { name: "an empty payload is present", frame: { SeqID: 3, LogID: 4, service: 1, method: 1, headers: [], payload: new Uint8Array(0) } },
  {
    name: "the second of three fragments",
    frame: {
      SeqID: 5,
      LogID: 6,
      service: 1,
      method: 1,
      headers: [
        { key: "type", value: "event" },
        { key: "message_id", value: "msg-3" },
        { key: "sum", value: "3" },
        { key: "seq", value: "1" },
      ],
      payload: text(event.slice(40, 80)),
    },
  },
  {
    name: "an ack as the official client shapes it: the frame echoed, biz_rt appended, the answer as payload",
    frame: { SeqID: 9, LogID: 10, service: 1, method: 1, headers: dataHeaders([{ key: "biz_rt", value: "12" }]), payload: text('{"code":200}') },
  },
];

const hex = (bytes) => Buffer.from(bytes).toString("hex");
const out = cases.map(({ name, frame }) => ({
  name,
  seq_id: String(frame.SeqID),
  log_id: String(frame.LogID),
  service: frame.service,
  method: frame.method,
  headers: frame.headers.map((h) => [h.key, h.value]),
  ...(frame.payload_encoding === undefined ? {} : { payload_encoding: frame.payload_encoding }),
  ...(frame.payload_type === undefined ? {} : { payload_type: frame.payload_type }),
  ...(frame.payload === undefined ? {} : { payload_hex: hex(frame.payload) }),
  ...(frame.LogIDNew === undefined ? {} : { log_id_new: frame.LogIDNew }),
  bytes_hex: hex(encodeFrame(frame)),
}));
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
