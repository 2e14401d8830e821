// "larkhook/tools" in browsers: the main entry already has the tools.
export * from "./index.browser.mjs";
