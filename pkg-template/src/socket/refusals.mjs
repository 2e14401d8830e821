// The two calls that open a long connection and how their failures are
// told apart: the endpoint call (POST {domain}/callback/ws/endpoint with
// the App ID and Secret, answering a socket URL and a ClientConfig) and
// the handshake's refusal (Handshake-Status / -Msg / -Autherrcode). A
// failure marked `fatal` is one retrying cannot fix (start() rejects with
// it); any other is reported and retried. Messages never carry the App
// Secret (the platform's own text is scrubbed of it) nor the socket URL.

import { LarkWebhookError } from "../core/errors.mjs";
import { CONNECT_TIMEOUT_MS, ENDPOINT_CALL, ENDPOINT_PATH, SOCKET_CODES } from "./codes.mjs";

/** A LarkWebhookError with a long-connection code (codes.mjs). */
export function socketError(code, message) {
  return new LarkWebhookError(code, SOCKET_CODES[code], message);
}

function fatal(code, message) {
  return Object.assign(socketError(code, message), { fatal: true });
}

/** `text` as shown in a message: the secret replaced, at most 300 characters. */
export function scrubber(secret) {
  return (text) => String(text ?? "").split(secret).join("[App Secret]").slice(0, 300);
}

// What the endpoint call's JSON answer says: { url, clientConfig } or a thrown error.
function endpointAnswer(body, scrub) {
  const { code, msg } = body;
  const said = `code ${scrub(code)}${msg ? `: ${scrub(msg)}` : ""}`;
  if (code === ENDPOINT_CALL.systemBusy || code === ENDPOINT_CALL.internalError) {
    throw socketError("connect_failed", `the endpoint call was refused for now (${said}); retrying`);
  }
  if (code === ENDPOINT_CALL.connectionLimit) throw fatal("connection_limit", `the app has too many long connections open (${said}); close some (at most 50 per app)`);
  if (code === ENDPOINT_CALL.forbidden) throw fatal("forbidden", `the Open Platform forbids this app a long connection (${said})`);
  if (code !== ENDPOINT_CALL.ok) {
    throw fatal("auth_failed", `the Open Platform refused the App ID / App Secret (${said}); check both, and that the app is a custom app using the long connection`);
  }
  const url = body.data?.URL;
  if (typeof url !== "string" || !/^wss?:\/\//.test(url)) throw socketError("connect_failed", "the endpoint call answered no socket URL; retrying");
  return { url, clientConfig: body.data?.ClientConfig };
}

/** The endpoint call: { url, service, clientConfig }, or a thrown error (fatal or retryable). */
export async function callEndpoint({ base, appId, appSecret, scrub }) {
  let response;
  try {
    response = await fetch(`${base}${ENDPOINT_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", locale: "zh" },
      body: JSON.stringify({ AppID: appId, AppSecret: appSecret }),
      signal: AbortSignal.timeout(CONNECT_TIMEOUT_MS),
    });
  } catch (cause) {
    throw socketError("connect_failed", `the endpoint call to ${base} failed (${scrub(cause?.cause?.code ?? cause?.name ?? "network error")}); retrying`);
  }
  let body;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  if (!response.ok || body === null || typeof body !== "object") {
    throw socketError("connect_failed", `the endpoint call to ${base} answered HTTP ${response.status}${body ? "" : " without JSON"}; retrying`);
  }
  const { url, clientConfig } = endpointAnswer(body, scrub);
  const service = Number.parseInt(new URL(url).searchParams.get("service_id") ?? "0", 10);
  return { url, clientConfig, service: Number.isInteger(service) && Math.abs(service) < 2 ** 31 ? service : 0 };
}

/** What a failed socket open means: fatal (auth_failed, connection_limit, forbidden, unsupported_runtime) or retryable. */
export function handshakeError(error, scrub) {
  if (error?.unsupported) return fatal("unsupported_runtime", error.message);
  const handshake = error?.handshake;
  if (handshake === undefined) return socketError("connect_failed", `the socket could not be opened (${scrub(error?.code ?? error?.message)}); retrying`);
  const auth = handshake.authCode === undefined ? "" : `, Handshake-Autherrcode ${handshake.authCode}`;
  const said = `Handshake-Status ${handshake.status}${auth}${handshake.message ? `: ${scrub(handshake.message)}` : ""}`;
  if (handshake.status === ENDPOINT_CALL.authFailed && handshake.authCode === ENDPOINT_CALL.connectionLimit) {
    return fatal("connection_limit", `the app has too many long connections open (${said}); close some (at most 50 per app)`);
  }
  if (handshake.status === ENDPOINT_CALL.authFailed && handshake.authCode !== ENDPOINT_CALL.internalError) {
    return fatal("auth_failed", `the platform refused the socket's authentication (${said})`);
  }
  if (handshake.status === ENDPOINT_CALL.forbidden) return fatal("forbidden", `the platform forbids this socket (${said})`);
  return socketError("connect_failed", `the platform refused the socket for now (${said}); retrying`);
}
