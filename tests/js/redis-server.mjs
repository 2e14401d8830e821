// A throwaway redis-server for a test: 127.0.0.1, a free port, no
// persistence; stopped by its own process id. `make test` installs
// redis-server (Debian package) when it is missing.
import { execFileSync, spawn } from "node:child_process";
import { createConnection, createServer } from "node:net";

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** True once the server answers PING with +PONG. */
function ping(port) {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let reply = "";
    socket.once("error", () => resolve(false));
    socket.on("data", (d) => {
      reply += d;
      if (reply.includes("\r\n")) {
        socket.destroy();
        resolve(reply.startsWith("+PONG"));
      }
    });
    socket.once("connect", () => socket.write("PING\r\n"));
  });
}

/**
 * Starts redis-server on a free port (or `port`). Returns its url, port,
 * pid, `cli(...args)` (redis-cli against it, an independent reader) and
 * `stop(signal)`, which waits for the process to exit.
 */
export async function startRedis({ port } = {}) {
  try {
    execFileSync("redis-server", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error("redis-server is not installed: `make test` installs it (apt-get install redis-server)");
  }
  port ??= await freePort();
  const child = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const started = Date.now();
  while (!(await ping(port))) {
    if (child.exitCode !== null || Date.now() - started > 10_000) {
      if (child.exitCode === null) process.kill(child.pid, "SIGKILL");
      throw new Error(`redis-server did not start on port ${port}:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    port,
    pid: child.pid,
    url: `redis://127.0.0.1:${port}`,
    cli: (...args) => execFileSync("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], { encoding: "utf8" }).trim(),
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null && child.signalCode === null) process.kill(child.pid, signal);
      return exited;
    },
  };
}
