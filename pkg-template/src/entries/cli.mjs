#!/usr/bin/env node
// The `larkhook` bin (package.json "bin"): the command line, in ../cli/,
// which runs when loaded.
import "../cli/main.mjs";
