// Every error larkhook throws, and the mapping from the core's typed errors.
// The core's messages speak of concepts ("the body size limit"); the option
// a JavaScript user sets is named here, once.

/** Every error larkhook throws: `code` is stable, `status` is the HTTP status to answer with. */
export class LarkWebhookError extends Error {
  constructor(code, status, message) {
    super(message);
    this.name = "LarkWebhookError";
    this.code = code;
    this.status = status;
  }

  /** The JSON body an endpoint answers with: `{ code, message }`. */
  toJSON() {
    return { code: this.code, message: this.message };
  }
}

/** The JavaScript option for each setting the core can name (`SETTINGS` in codes.generated.mjs). */
export const OPTION_NAMES = Object.freeze({
  encrypt_key: "encryptKey",
  verification_token: "verificationToken",
  tolerance_seconds: "toleranceSeconds",
  max_age_seconds: "maxAgeSeconds",
  max_body_bytes: "maxBodyBytes",
  insecure: "insecure: true",
});

export function argumentError(message) {
  return new LarkWebhookError("invalid_argument", 500, `invalid argument: ${message}`);
}

export function configError(message) {
  return new LarkWebhookError("invalid_config", 500, `invalid configuration: ${message}`);
}

/** A `LarkWebhookError` from the core's `{ code, status, message, setting? }`, the option named. */
export function fromData({ code, status, message, setting }) {
  const option = setting === undefined || setting === null ? undefined : OPTION_NAMES[setting];
  return new LarkWebhookError(code, status, option === undefined ? message : `${message} (option \`${option}\`)`);
}

/** A `CoreError` thrown by the wasm module, as a `LarkWebhookError`; anything else unchanged. */
export function fromCore(error, CoreError) {
  if (!(error instanceof CoreError)) return error;
  const result = fromData({ code: error.code, status: error.status, message: error.message, setting: error.setting });
  error.free();
  return result;
}
