// Node.js (CommonJS): the wasm-bindgen Node glue reads and compiles the
// module synchronously when required.
"use strict";
const glue = require("./glue.cjs");
const { createApi } = require("./api.cjs");

module.exports = createApi(glue);
