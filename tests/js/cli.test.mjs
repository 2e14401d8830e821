// The `larkhook` command line (pkg/cli.mjs) as a whole: help, usage errors,
// secrets never echoed, colour only on a terminal. Each command has its own
// file: cli-trigger, cli-inspect, cli-helpdesk (.test.mjs).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { cli, KEY, TOKEN, larkhook, file, capture, runScript } from "./cli-helpers.mjs";

describe("larkhook", () => {
  test("--help lists every command and exits 0; each command has --help", async () => {
    const run = await larkhook(["--help"]);
    assert.equal(run.code, 0);
    for (const command of ["trigger", "inspect", "helpdesk"]) {
      assert.match(run.stdout, new RegExp(`^  ${command} `, "m"));
      const help = await larkhook([command, "--help"]);
      assert.equal(help.code, 0);
      assert.match(help.stdout, new RegExp(`usage: larkhook ${command}`));
      assert.equal(help.stderr, "");
    }
    for (const name of ["LARK_ENCRYPT_KEY", "LARK_VERIFICATION_TOKEN", "LARK_APP_ID", "LARK_APP_SECRET", "LARK_HELPDESK_ID", "LARK_HELPDESK_TOKEN"]) {
      assert.ok(run.stdout.includes(name), name);
    }
  });

  test("the top-level help shows every option each command's --help lists", async () => {
    const top = (await larkhook(["--help"])).stdout;
    for (const command of ["trigger", "inspect", "helpdesk"]) {
      const help = (await larkhook([command, "--help"])).stdout;
      const options = [...help.split("Options")[1].matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]);
      assert.ok(options.length >= 3, command);
      const synopsis = top.slice(top.indexOf(`  larkhook ${command} `)).split(/\n(?! {10})/)[0];
      for (const option of options) assert.ok(synopsis.includes(`[${option}`) || synopsis.includes(` ${option} `), `larkhook --help: ${command} ${option}`);
    }
  });

  test("no command, an unknown command or flag: usage on stderr, exit 2", async () => {
    for (const args of [[], ["deploy"], ["--frobnicate"], ["inspect", "--frobnicate"]]) {
      const run = await larkhook(args);
      assert.equal(run.code, 2, args.join(" "));
      assert.equal(run.stdout, "");
      assert.match(run.stderr, /usage: larkhook/);
    }
  });

  test("secrets given to an unknown flag or as a stray argument are not echoed", async () => {
    const run = await larkhook(["trigger", "created", "--url", "http://127.0.0.1:9/", `--encrypt-keyy=${KEY}`]);
    assert.equal(run.code, 2);
    const stray = await larkhook([TOKEN]);
    assert.equal(stray.code, 2);
    assert.match(stray.stderr, /unknown command/);
  });

  test("colour only on a terminal, and never with NO_COLOR", async () => {
    const path = file("colour.txt", capture().text);
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(cli)} inspect ${JSON.stringify(path)}`;
    // `script` runs the command on a pseudo-terminal (util-linux, in every Debian).
    const onTty = await runScript(command, { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN });
    assert.match(onTty, /\u001b\[32mpass\u001b\[39m/);
    const noColor = await runScript(command, { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN, NO_COLOR: "1" });
    assert.match(noColor, /pass/);
    assert.doesNotMatch(noColor, /\u001b\[/);
    const piped = await larkhook(["inspect", path], { env: { LARK_ENCRYPT_KEY: KEY, LARK_VERIFICATION_TOKEN: TOKEN } });
    assert.doesNotMatch(piped.stdout, /\u001b\[/);
  });
});
