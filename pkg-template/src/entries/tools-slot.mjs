// Where the Workers entry finds the tools module once "larkhook/tools" has
// loaded it: Workers compile WebAssembly only from static imports, and the
// main entry does not import the tools module (every Worker would carry it).

import { LarkWebhookError } from "../core/errors.mjs";

let provided;

export function provideTools(glue) {
  provided = glue;
}

export function providedTools() {
  return provided;
}

/** Why the tools are missing from an entry that does not carry them (Workers). */
export function toolsUnavailable(entry) {
  return () => {
    throw new LarkWebhookError(
      "invalid_argument",
      500,
      `inspect, createTestDelivery, encrypt, decrypt and sign live in a second WebAssembly module that the ${entry} entry does not load, ` +
        'so that no Worker carries them; import them from "larkhook/tools" there (e.g. in tests under workerd)',
    );
  };
}
