/**
 * Real engines for e2e, the demo and the benchmarks: a Vault or OpenBao dev server on loopback
 * with a plugin directory, its CLI and HTTP API, and the plugin processes it runs.
 *
 * @module
 */
import { REPO_ROOT } from "./_artifact.ts";

/** Which engine. */
export type EngineKind = "openbao" | "vault";

/** Output of one CLI call. */
export interface CliResult {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** A running dev server. */
export interface Engine {
  /** Which engine. */
  kind: EngineKind;
  /** Path of the engine binary (also its CLI). */
  binary: string;
  /** API address, e.g. "http://127.0.0.1:8201". */
  addr: string;
  /** Root token of the dev server. */
  token: string;
  /** Server log (stdout and stderr). */
  logPath: string;
  /** Server process id. */
  pid: number;
  /** Runs the engine's CLI against this server. */
  cli(args: string[]): Promise<CliResult>;
  /** Calls the HTTP API under /v1/; the body is parsed JSON when there is one. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Stops the server and waits for it (idempotent). */
  stop(): Promise<void>;
}

/** Resolves the engine binary through the install scripts (installing or building when missing). */
export async function engineBinary(kind: EngineKind): Promise<string> {
  const script = kind === "openbao" ? "install-openbao.sh" : "build-vault.sh";
  const out = await new Deno.Command("bash", {
    args: [`${REPO_ROOT}/scripts/engines/${script}`],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
  if (!out.success) throw new Error(`${script} failed with exit code ${out.code}`);
  return lines[lines.length - 1];
}

async function freePort(): Promise<number> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function waitHealthy(addr: string, child: Deno.ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  child.status.then(() => exited = true);
  while (Date.now() < deadline) {
    if (exited) throw new Error("the dev server exited during start-up");
    try {
      const response = await fetch(`${addr}/v1/sys/health`);
      const body = await response.json();
      if (response.status === 200 && body.initialized && !body.sealed) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the dev server at ${addr} was not healthy within ${timeoutMs} ms`);
}

const running = new Set<Engine>();
globalThis.addEventListener("unload", () => {
  for (const engine of running) {
    try {
      Deno.kill(engine.pid, "SIGKILL");
    } catch { /* already gone */ }
  }
});

/**
 * Starts a dev server on a free loopback port with `pluginDir` as its plugin directory and waits
 * until `sys/health` reports it initialized and unsealed.
 */
export async function startEngine(
  kind: EngineKind,
  options: { pluginDir: string; workDir: string; env?: Record<string, string> },
): Promise<Engine> {
  const binary = await engineBinary(kind);
  const port = await freePort();
  const addr = `http://127.0.0.1:${port}`;
  const logPath = `${options.workDir}/${kind}.log`;
  const child = new Deno.Command(binary, {
    args: [
      "server",
      "-dev",
      "-dev-root-token-id=root",
      `-dev-listen-address=127.0.0.1:${port}`,
      `-dev-plugin-dir=${await Deno.realPath(options.pluginDir)}`,
      "-log-level=debug",
    ],
    env: { ...options.env, HOME: options.workDir, SKIP_SETCAP: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // Both streams go to one log file, line order kept per stream; the copies end with the server.
  const log = await Deno.open(logPath, { write: true, create: true, truncate: true });
  let writes = Promise.resolve();
  const copy = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      writes = writes.then(async () => {
        for (let done = 0; done < chunk.length;) done += await log.write(chunk.subarray(done));
      });
      await writes;
    }
  };
  const copied = Promise.all([copy(child.stdout), copy(child.stderr)])
    .catch(() => {})
    .finally(() => log.close());

  let stopped: Promise<void> | undefined;
  const env = {
    VAULT_ADDR: addr,
    BAO_ADDR: addr,
    VAULT_TOKEN: "root",
    BAO_TOKEN: "root",
    HOME: options.workDir,
    NO_COLOR: "1",
  };
  const engine: Engine = {
    kind,
    binary,
    addr,
    token: "root",
    logPath,
    pid: child.pid,
    async cli(args) {
      const out = await new Deno.Command(binary, { args, env, stdin: "null" }).output();
      const decoder = new TextDecoder();
      return {
        code: out.code,
        stdout: decoder.decode(out.stdout),
        stderr: decoder.decode(out.stderr),
      };
    },
    async api(method, path, body) {
      const response = await fetch(`${addr}/v1/${path}`, {
        method,
        headers: { "x-vault-token": "root", "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      return { status: response.status, body: text ? JSON.parse(text) : undefined };
    },
    stop() {
      stopped ??= (async () => {
        running.delete(engine);
        try {
          child.kill("SIGTERM");
        } catch { /* already gone */ }
        const timer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch { /* already gone */ }
        }, 5000);
        await child.status;
        clearTimeout(timer);
        await copied;
      })();
      return stopped;
    },
  };
  running.add(engine);
  try {
    await waitHealthy(addr, child, 30_000);
  } catch (error) {
    await engine.stop();
    const tail = (await Deno.readTextFile(logPath)).split("\n").slice(-15).join("\n");
    throw new Error(`${kind} did not start: ${(error as Error).message}\n${tail}`);
  }
  return engine;
}

/** Registers a secrets plugin by sha256 as an operator would (`plugin register -sha256`). */
export async function registerPlugin(
  engine: Engine,
  plugin: { name: string; file: string; sha256: string; version?: string },
): Promise<void> {
  const args = ["plugin", "register", `-sha256=${plugin.sha256}`, `-command=${plugin.file}`];
  if (plugin.version) args.push(`-version=${plugin.version}`);
  args.push("secret", plugin.name);
  const out = await engine.cli(args);
  if (out.code !== 0) throw new Error(`plugin register failed: ${out.stderr.trim()}`);
}

/** PIDs of the processes the engine runs from its plugin directory (children of the server). */
export async function pluginProcesses(engine: Engine): Promise<number[]> {
  const pids: number[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === engine.pid) pids.push(Number(entry.name));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
