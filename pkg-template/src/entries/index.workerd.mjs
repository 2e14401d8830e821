// Cloudflare Workers (workerd): Workers cannot compile WebAssembly from bytes
// at run time, so the module is imported statically (wrangler and miniflare
// hand it over compiled) and instantiated synchronously. The tools module
// (inspect, test deliveries, encrypt, decrypt, sign) is not imported here: "larkhook/tools"
// brings it in where it is wanted.
import wasmModule from "./larkhook_bg.wasm";
import * as glue from "./glue.mjs";
import { bindWasm } from "../core/wasm.mjs";
import { providedTools, toolsUnavailable } from "./tools-slot.mjs";

glue.initSync({ module: wasmModule });

const unavailable = toolsUnavailable("Workers");
bindWasm(glue, () => providedTools() ?? unavailable());

export * from "./api.mjs";
