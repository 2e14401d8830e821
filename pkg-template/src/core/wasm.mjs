// Which WebAssembly instances the API runs on. Every runtime entry (workerd,
// Node ESM, Node CJS, browser) loads the request-path module its own way and
// binds its wasm-bindgen glue here once, before its exports are used, with a
// function that returns the tools module's glue (inspect, test deliveries,
// encrypt, decrypt, sign) when first needed. One binding per module graph, as the glue
// itself keeps one instance per module graph.

import { fromCore } from "./errors.mjs";

/** The request-path module's wasm-bindgen glue (`Hook`, `CoreError`, ...). */
export let glue;
/** Its memory: the body and the result cross through buffers in it (bindings/wasm/src/lib.rs). */
export let memory;
let loadTools;
let toolsGlue;

/** Binds the request-path glue, and how to get the tools glue when first needed. */
export function bindWasm(requestGlue, tools) {
  glue = requestGlue;
  memory = requestGlue.wasmMemory();
  loadTools = tools;
  toolsGlue = undefined;
}

/** Calls into the request-path module; its `CoreError`s become `LarkWebhookError`s. */
export function callCore(fn) {
  try {
    return fn(glue);
  } catch (e) {
    throw fromCore(e, glue.CoreError);
  }
}

/** The tools module's glue, loaded on first use. */
export function toolsModule() {
  toolsGlue ??= loadTools();
  return toolsGlue;
}

/** Calls into the tools module (loaded on first use); its `CoreError`s become `LarkWebhookError`s. */
export function callTools(fn) {
  const tools = toolsModule();
  try {
    return fn(tools);
  } catch (e) {
    throw fromCore(e, tools.CoreError);
  }
}
