// "larkhook/tools" outside Workers (CommonJS): the main entry already has the tools.
"use strict";
module.exports = require("./index.node.cjs");
