// Node.js, Deno and Bun (ES modules): the module is read from the package and
// compiled synchronously at import, so the API is ready without awaiting. The
// tools module is required (and so compiled) only when a tool is first used.
// The build bundles this entry into one file: ES modules load one by one,
// and at a cold start each costs more than its code (BENCHMARKS.md).
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import * as glue from "./glue.mjs";
import { LarkWebhook } from "../core/webhook.mjs";
import { bindWasm, toolsModule } from "../core/wasm.mjs";
import { makeLongConnectionApi } from "../socket/connection.mjs";

glue.initSync({ module: readFileSync(new URL("./larkhook_bg.wasm", import.meta.url)) });

bindWasm(glue, () => createRequire(import.meta.url)("./tools-glue.cjs"));

export * from "./api.mjs";
// The long connection: Node, Deno and Bun only (its socket package, ws, is imported by start()).
export const { createLongConnection } = makeLongConnectionApi({ LarkWebhook, loadTools: toolsModule });
