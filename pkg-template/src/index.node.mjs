// Node.js, Deno and Bun (ES modules): the module is read from the package and
// compiled synchronously at import, so the API is ready without awaiting. The
// tools module is read and compiled only when a tool is first used.
import { readFileSync } from "node:fs";
import * as glue from "./glue.mjs";
import * as toolsGlue from "./tools-glue.mjs";
import { createApi } from "./api.mjs";

glue.initSync({ module: readFileSync(new URL("./larkhook_bg.wasm", import.meta.url)) });

function loadTools() {
  toolsGlue.initSync({ module: readFileSync(new URL("./larkhook_tools_bg.wasm", import.meta.url)) });
  return toolsGlue;
}

export const { /* EXPORTS */ } = createApi(glue, loadTools);
