// Browsers and bundlers: both modules are fetched next to this file and
// compiled asynchronously (browsers refuse large synchronous compiles on the
// main thread); top-level await makes the exports ready on import.
import init, * as glue from "./glue.mjs";
import initTools, * as toolsGlue from "./tools-glue.mjs";
import { bindWasm } from "../core/wasm.mjs";

await Promise.all([
  init({ module_or_path: new URL("./larkhook_bg.wasm", import.meta.url) }),
  initTools({ module_or_path: new URL("./larkhook_tools_bg.wasm", import.meta.url) }),
]);

bindWasm(glue, () => toolsGlue);

export * from "./api.mjs";
