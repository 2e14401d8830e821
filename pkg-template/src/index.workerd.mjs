// Cloudflare Workers (workerd): Workers cannot compile WebAssembly from bytes
// at run time, so the module is imported statically (wrangler and miniflare
// hand it over compiled) and instantiated synchronously.
import wasmModule from "./larkhook_bg.wasm";
import * as glue from "./glue.mjs";
import { createApi } from "./api.mjs";

glue.initSync({ module: wasmModule });

export const { /* EXPORTS */ } = createApi(glue);
