// "larkhook/tools" in Workers: loads the tools module (statically imported,
// as Workers require) and re-exports the whole API, tools included.
import toolsModule from "./larkhook_tools_bg.wasm";
import * as toolsGlue from "./tools-glue.mjs";
import { provideTools } from "./tools-slot.mjs";

toolsGlue.initSync({ module: toolsModule });
provideTools(toolsGlue);

export * from "./index.workerd.mjs";
