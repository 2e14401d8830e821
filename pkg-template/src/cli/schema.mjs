// `larkhook schema`: the JSON Schemas (draft 2020-12) of the typed events,
// generated from the Rust registry and shipped as larkhook/schemas/*.json.
// With no argument, lists them; with an event type, prints its schema.

import { readFileSync, readdirSync } from "node:fs";

import { EXIT, UsageError, parseOptions, usage } from "./common.mjs";

export const USAGE = usage("schema");

const DIR = new URL("../schemas/", import.meta.url);

export const HELP = `Print the JSON Schema (draft 2020-12) of a typed event's \`event\`, as parse returns it.

${USAGE}

With no <event_type>, lists the schemas. The same files ship in the package as
larkhook/schemas/<event_type>.json (card_action.json: the legacy message-card
callback), for a queue consumer or another service to validate against.

Exit codes: 0 printed; 2 unknown event type or bad usage.

Examples:
  larkhook schema
  larkhook schema card.action.trigger > card.action.trigger.schema.json`;

/** The schema files' names, without `.json`: the event types, then card_action. */
function names() {
  return readdirSync(DIR)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.slice(0, -".json".length))
    .sort((a, b) => (a === "card_action") - (b === "card_action") || a.localeCompare(b));
}

export async function run(args, { stdout }) {
  const { values, positionals } = parseOptions(args, {}, 1);
  if (values.help) {
    stdout.line(HELP);
    return EXIT.ok;
  }
  const all = names();
  const [name] = positionals;
  if (name === undefined) {
    for (const n of all) {
      const schema = JSON.parse(readFileSync(new URL(`${n}.json`, DIR), "utf8"));
      stdout.line(`${n.padEnd(36)} ${schema.title}`);
    }
    return EXIT.ok;
  }
  if (!all.includes(name)) {
    const shown = /^[\w.-]{1,60}$/.test(name) ? ` "${name}"` : "";
    throw new UsageError(`no schema for${shown || " that event type"}: larkhook types ${all.join(", ")}`);
  }
  // Printed as shipped, byte for byte (no secret can be in it).
  stdout.write(readFileSync(new URL(`${name}.json`, DIR), "utf8"));
  return EXIT.ok;
}
