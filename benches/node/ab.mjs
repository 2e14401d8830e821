// A/B: two builds of the package parsing the same deliveries in one Node
// process, interleaved, to measure one change against another (a few
// percent is lost in the noise between separate `make bench` runs).
//
//   node benches/node/ab.mjs --a <pkg dir> --b <pkg dir> [--only created,message] [--rounds 21] [--batch 2000]
//
// Build the "before" package in a worktree, e.g.
//   git worktree add /tmp/before <commit> && (cd /tmp/before && ln -s "$PWD/../main/node_modules" && make build)
// then `--a pkg --b /tmp/before/pkg`. Each round runs a warm-up and a timed
// batch per build, alternating which goes first; the figure is the median
// over rounds of the time per delivery.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

import { NOW, buildDeliveries, parseArgs } from "./deliveries.mjs";

const args = parseArgs(process.argv.slice(2));
if (!args.a || !args.b) throw new Error("usage: node benches/node/ab.mjs --a <pkg dir> --b <pkg dir>");
const ROUNDS = Number(args.rounds ?? 21);
const BATCH = Number(args.batch ?? 2000);
const ids = (args.only ?? "created,updated,message,plain").split(",");

const dirs = [args.a, args.b].map((d) => resolve(d));
const builds = await Promise.all(dirs.map((d) => import(pathToFileURL(`${d}/index.node.mjs`).href)));
// One set of deliveries, built by the first package, parsed by both.
const deliveries = buildDeliveries(builds[0], { include: ids });
const median = (xs) => [...xs].sort((x, y) => x - y)[xs.length >> 1];

console.log(`A: ${dirs[0]}\nB: ${dirs[1]}\n${ROUNDS} rounds of ${BATCH} parses each, interleaved; µs per delivery (median)`);
for (const id of ids) {
  const d = deliveries[id];
  const hooks = builds.map((b) => new b.LarkWebhook(d.options));
  const delivery = { headers: d.headers, body: d.body, now: NOW };
  for (const hook of hooks) {
    const r = hook.parse(delivery);
    if (r.event_type !== d.eventType) throw new Error(`${id}: not parsed as ${d.eventType}`);
  }
  const times = [[], []];
  for (let round = 0; round < ROUNDS; round++) {
    for (const i of round % 2 ? [1, 0] : [0, 1]) {
      for (let k = 0; k < BATCH / 4; k++) hooks[i].parse(delivery);
      const t0 = process.hrtime.bigint();
      for (let k = 0; k < BATCH; k++) hooks[i].parse(delivery);
      times[i].push(Number(process.hrtime.bigint() - t0) / BATCH / 1000);
    }
  }
  const [a, b] = times.map(median);
  console.log(`${id.padEnd(8)} A ${a.toFixed(2).padStart(7)}  B ${b.toFixed(2).padStart(7)}  A/B ${(a / b).toFixed(3)}`);
}
