// The workerd benchmark worker: larkhook (the package's workerd entry, the
// .wasm imported statically) vs a minimal hand-written WebCrypto
// implementation, inside one worker. Driven by benches/workerd/run.mjs.
//
//   POST /setup          body: {deliveries: {id: {headers, body, options, eventType}}}
//   GET  /clock          does ~50 ms of work; reports how far Date.now and performance.now moved
//   GET  /run?impl=&id=&n=   runs n parses of one delivery; reports the in-worker elapsed time
//   GET  /run?impl=empty&n=0 the empty request, for the Node-side baseline
import { LarkWebhook } from "../../pkg/index.workerd.mjs";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
let prepared = {};
let sink;

/** Constant-time equality of two byte arrays of the same length (XOR-accumulate, no early exit). */
function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i] ^ b[i];
  return diff === 0;
}

function hexToBytes(hex) {
  if (hex.length !== 64 || !/^[0-9a-fA-F]+$/.test(hex)) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

function base64ToBytes(text) {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The hand-written WebCrypto floor: the AES key and the token's bytes prepared once. */
async function makeWebCrypto({ encryptKey, verificationToken }) {
  const keyBytes = encryptKey ? encoder.encode(encryptKey) : undefined;
  const aesKey = encryptKey
    ? await crypto.subtle.importKey("raw", await crypto.subtle.digest("SHA-256", keyBytes), { name: "AES-CBC" }, false, ["decrypt"])
    : undefined;
  const token = encoder.encode(verificationToken);
  const fail = (why) => {
    throw new Error(`webcrypto: ${why}`);
  };
  return async (headers, body, now) => {
    let text;
    if (aesKey) {
      const timestamp = headers.get("x-lark-request-timestamp");
      const nonce = headers.get("x-lark-request-nonce");
      const signature = headers.get("x-lark-signature");
      if (!timestamp || !nonce || !signature) fail("missing signature headers");
      if (Math.abs(now - Number(timestamp)) > 300) fail("timestamp out of range");
      const prefix = encoder.encode(timestamp + nonce);
      const signed = new Uint8Array(prefix.length + keyBytes.length + body.length);
      signed.set(prefix, 0);
      signed.set(keyBytes, prefix.length);
      signed.set(body, prefix.length + keyBytes.length);
      const expected = new Uint8Array(await crypto.subtle.digest("SHA-256", signed));
      const received = hexToBytes(signature);
      if (!received || !sameBytes(expected, received)) fail("signature mismatch");
      const { encrypt } = JSON.parse(decoder.decode(body));
      const data = base64ToBytes(encrypt);
      const plain = await crypto.subtle.decrypt({ name: "AES-CBC", iv: data.subarray(0, 16) }, aesKey, data.subarray(16));
      text = decoder.decode(plain);
    } else {
      text = decoder.decode(body);
    }
    const event = JSON.parse(text);
    if (!sameBytes(encoder.encode(String(event.header?.token ?? event.token ?? "")), token)) fail("token mismatch");
    return event;
  };
}

async function prepare(deliveries) {
  prepared = {};
  for (const [id, d] of Object.entries(deliveries)) {
    const hook = new LarkWebhook(d.options);
    const webcrypto = await makeWebCrypto(d.options);
    const headers = new Headers(d.headers);
    const body = encoder.encode(d.body);
    const delivery = { headers, body, now: d.now };
    prepared[id] = {
      eventType: d.eventType,
      larkhook: { run: () => hook.parse(delivery), check: (r) => r.kind === "event" && r.event_type === d.eventType },
      webcrypto: { async: true, run: () => webcrypto(headers, body, d.now), check: (r) => r.header?.event_type === d.eventType },
    };
    // Both must accept the delivery before anything is timed.
    for (const impl of ["larkhook", "webcrypto"]) {
      const p = prepared[id][impl];
      const r = await p.run();
      if (!p.check(r)) throw new Error(`${impl} did not accept ${id}`);
    }
  }
  return Object.keys(prepared);
}

async function run(implName, id, n) {
  const t0 = performance.now();
  const d0 = Date.now();
  if (implName !== "empty") {
    const impl = prepared[id][implName];
    if (impl.async) for (let i = 0; i < n; i++) sink = await impl.run();
    else for (let i = 0; i < n; i++) sink = impl.run();
  }
  return { perfMs: performance.now() - t0, dateMs: Date.now() - d0, n };
}

function clock() {
  const p0 = performance.now();
  const d0 = Date.now();
  const started = Date.now();
  let spins = 0;
  // About 50 ms of CPU work without any I/O.
  let x = 0;
  for (let i = 0; i < 2e7; i++) x = (x * 31 + i) | 0;
  spins = x;
  return { perfDeltaMs: performance.now() - p0, dateDeltaMs: Date.now() - d0, startedAt: started, spins };
}

export default {
  async fetch(request) {
    const url = new URL(request.url);
    try {
      if (url.pathname === "/setup") return Response.json({ ids: await prepare((await request.json()).deliveries) });
      if (url.pathname === "/clock") return Response.json(clock());
      if (url.pathname === "/run") {
        const n = Number(url.searchParams.get("n") ?? 0);
        return Response.json(await run(url.searchParams.get("impl"), url.searchParams.get("id"), n));
      }
      return new Response("not found", { status: 404 });
    } catch (e) {
      return new Response(String(e?.stack ?? e), { status: 500 });
    }
  },
};
void sink;
