// Node.js, Deno and Bun (ES modules): the module is read from the package and
// compiled synchronously at import, so the API is ready without awaiting.
import { readFileSync } from "node:fs";
import * as glue from "./glue.mjs";
import { createApi } from "./api.mjs";

glue.initSync({ module: readFileSync(new URL("./larkhook_bg.wasm", import.meta.url)) });

export const { /* EXPORTS */ } = createApi(glue);
