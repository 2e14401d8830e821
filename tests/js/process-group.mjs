// Stopping what a test started as its own process group (spawn with
// `detached: true`): npm, make or next and the servers they run. SIGTERM
// first; whatever is still running after `graceMs` (wrangler can outlive
// npm's exit, holding the pipes open) gets SIGKILL. Only this group's pid.

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function groupAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Stops the process group led by `child` and closes its pipes; resolves once no member is left (or after SIGKILL and 5 s). */
export async function stopProcessGroup(child, { graceMs = 10_000 } = {}) {
  if (groupAlive(child.pid)) process.kill(-child.pid, "SIGTERM");
  for (const deadline = Date.now() + graceMs; groupAlive(child.pid) && Date.now() < deadline; ) await sleep(100);
  if (groupAlive(child.pid)) process.kill(-child.pid, "SIGKILL");
  for (const deadline = Date.now() + 5000; groupAlive(child.pid) && Date.now() < deadline; ) await sleep(50);
  child.stdout?.destroy();
  child.stderr?.destroy();
}
