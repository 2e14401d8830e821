// Node.js (CommonJS, `require("larkhook")`). Written as an ES module and
// bundled by the build into one CommonJS file, index.node.cjs, whose
// exports ES modules importing it see as named exports. The wasm-bindgen
// Node glue reads and compiles the module synchronously when loaded; the
// tools module is required (and so compiled) only when a tool is first used.
import * as glue from "./glue.cjs";
import { LarkWebhook } from "../core/webhook.mjs";
import { bindWasm, toolsModule } from "../core/wasm.mjs";
import { makeLongConnectionApi } from "../socket/connection.mjs";

bindWasm(glue, () => require("./tools-glue.cjs"));

export * from "./api.mjs";
// The long connection: Node, Deno and Bun only (its socket package, ws, is imported by start()).
export const { createLongConnection } = makeLongConnectionApi({ LarkWebhook, loadTools: toolsModule });
