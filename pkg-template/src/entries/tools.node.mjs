// "larkhook/tools" outside Workers: the main entry already has the tools.
export * from "./index.node.mjs";
