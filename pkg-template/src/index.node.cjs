// Node.js (CommonJS): the wasm-bindgen Node glue reads and compiles the
// module synchronously when required; the tools module is required (and so
// compiled) only when a tool is first used. The exports are assigned one by
// one so that ES modules importing this file get them as named exports.
"use strict";
const glue = require("./glue.cjs");
const { createApi } = require("./api.cjs");

const api = createApi(glue, () => require("./tools-glue.cjs"));
/* EXPORTS */
