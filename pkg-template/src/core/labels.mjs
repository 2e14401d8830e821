// Labels of the enumerated fields (status, stage, ...), in English and
// Chinese, from the generated tables.

import { LABELS } from "./codes.generated.mjs";
import { argumentError } from "./errors.mjs";

/**
 * The label of an enumerated value, e.g. `label("status", 50)` is
 * "closed by bot" and `label("status", 50, "zh")` is "被机器人关闭". A code the
 * documentation does not list keeps its number: "unknown status (77)"; an
 * absent one (typed fields are optional) is "unknown status".
 */
export function label(field, code, lang = "en") {
  const table = LABELS[field];
  if (table === undefined) throw argumentError(`no labels for field ${String(field)}`);
  const index = lang === "zh" ? 1 : 0;
  if (code === undefined) return table["*"][index];
  const known = Object.prototype.hasOwnProperty.call(table, code) && code !== "*" ? table[code] : undefined;
  return known ? known[index] : `${table["*"][index]} (${code})`;
}
