// `larkhook`: the package's command line (Node ≥ 20, no dependencies).
//
//   larkhook trigger <event> --url URL    send a signed, encrypted sample delivery
//   larkhook inspect [FILE|-]             why a captured delivery passes or fails
//   larkhook helpdesk subscribe           subscribe the app to the helpdesk events
//   larkhook listen                       real events over the long connection, no public URL
//   larkhook schema [<event_type>]        the JSON Schema of a typed event
//
// Each command lives in its own module, loaded only when it runs (helpdesk
// never compiles the wasm). Secrets come from flags or the environment and
// are never printed: every byte written goes through Secrets.scrub.

import { EXIT, Output, SECRET_ENV, SYNOPSIS, Secrets, UsageError, version } from "./common.mjs";

const COMMANDS = {
  trigger: { summary: "send a sample delivery (or your own JSON), built, encrypted and signed as the platform does", load: () => import("./trigger.mjs") },
  inspect: { summary: "check a captured delivery (raw request, curl -v, devtools copy, HAR) step by step: why is it accepted or refused?", load: () => import("./inspect.mjs") },
  helpdesk: { summary: "subscribe or unsubscribe the app to the helpdesk events (needed before any arrives)", load: () => import("./helpdesk.mjs") },
  listen: { summary: "receive real events over the long connection (no public URL): print them, or forward them to a local endpoint", load: () => import("./listen.mjs") },
  schema: { summary: "print the JSON Schema of a typed event (larkhook/schemas/<event_type>.json), or list them", load: () => import("./schema.mjs") },
};

const USAGE = `usage: larkhook <command> [options]

${Object.values(SYNOPSIS)
  .map((synopsis) => `  larkhook ${synopsis.replace(/\n/g, `\n${" ".repeat("  larkhook ".length)}`)}`)
  .join("\n")}`;

const HELP = `larkhook ${version()}: Lark / Feishu webhook deliveries from the command line.

${USAGE}

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`)
  .join("\n")}

Run \`larkhook <command> --help\` for a command's options.

Secrets come from flags or the environment (${Object.values(SECRET_ENV).slice(0, 3).join(", ")},
${Object.values(SECRET_ENV).slice(3).join(", ")}) and are never printed.
Prefer the environment: flags are visible to other users in the process list.

Exit codes: 0 success (listen: stopped with Ctrl-C); 1 refused (inspect: parse refuses the
delivery; trigger: a non-2xx answer; helpdesk, listen: the platform said no); 2 bad usage or
unusable input; 3 could not reach the endpoint or the Open Platform; 70 a bug in larkhook.`;

async function main(argv, env, secrets) {
  const stdout = new Output(process.stdout, env, secrets);
  const stderr = new Output(process.stderr, env, secrets);
  const [first, ...rest] = argv;
  if (first === "--help" || first === "-h" || (first === "help" && rest.length === 0)) {
    stdout.line(HELP);
    return EXIT.ok;
  }
  if (first === "--version" || first === "-V") {
    stdout.line(version());
    return EXIT.ok;
  }
  if (first === "help") return main([rest[0], "--help"], env, secrets);
  const command = Object.hasOwn(COMMANDS, first ?? "") ? COMMANDS[first] : undefined;
  if (command === undefined) {
    // The name is echoed only when it looks like a word: never a pasted secret.
    const what = first === undefined ? "no command given" : /^[\w-]{1,20}$/.test(first) ? `unknown command "${first}"` : "unknown command";
    stderr.line(`larkhook: ${what}\n\n${USAGE}\n\nRun \`larkhook --help\` for details.`);
    return EXIT.usage;
  }
  const module = await command.load();
  try {
    return await module.run(rest, { stdout, stderr, stdin: process.stdin, env, secrets });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.line(`larkhook ${first}: ${error.message}\n\n${module.USAGE}\n\nRun \`larkhook ${first} --help\` for details.`);
    return EXIT.usage;
  }
}

// A closed pipe (`larkhook inspect x --json | head -1`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (error) => {
    if (error.code === "EPIPE") process.exit(process.exitCode ?? EXIT.ok);
    throw error;
  });
}

const secrets = new Secrets();
for (const name of Object.values(SECRET_ENV)) secrets.add(process.env[name]);
main(process.argv.slice(2), process.env, secrets).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(secrets.scrub(`larkhook: internal error (please report it): ${error?.stack ?? error}\n`));
    process.exitCode = EXIT.internal;
  },
);
