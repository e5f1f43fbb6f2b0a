/**
 * Real engines for e2e, the demo and the benchmarks: a Vault or OpenBao dev server on loopback
 * with a plugin directory, its CLI and HTTP API, and the plugin processes it runs.
 *
 * @example
 * ```ts
 * const engine = await startEngine("openbao", { pluginDir, workDir });
 * try {
 *   await registerPlugin(engine, { name: "litellm", file: "vault-plugin-secrets-litellm", sha256 });
 *   await engine.cli(["secrets", "enable", "-path=litellm", "litellm"]);
 * } finally {
 *   await engine.stop();
 * }
 * ```
 *
 * @module
 */
import { REPO_ROOT } from "./_artifact.ts";
import { childPids, forgetGroup, killGroup, trackGroup } from "./_processes.ts";

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

/** Options of {@link startEngine}. */
export interface EngineOptions {
  /** Plugin directory; resolved to its real path, since the engines refuse symlinked paths. */
  pluginDir: string;
  /** Directory for the log and the CLI's HOME (so no token file lands in the real home). */
  workDir: string;
  /** Extra environment of the server, layered last; plugins inherit it. */
  env?: Record<string, string>;
  /**
   * Whether the server registers every file of `pluginDir` at start-up under its file name
   * (`-dev-plugin-init`). Off by default: the tests register as an operator would, and a file that
   * fails the engine's probe would otherwise abort start-up.
   * @default {false}
   */
  autoRegister?: boolean;
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
  /** Real path of the plugin directory the server was given. */
  pluginDir: string;
  /** Server log (stdout and stderr). */
  logPath: string;
  /** Server process id (also the id of its process group, which its plugins share). */
  pid: number;
  /** Runs the engine's CLI against this server. */
  cli(args: string[]): Promise<CliResult>;
  /** Calls the HTTP API under /v1/; `body` is parsed JSON, or the raw text when not JSON. */
  api(method: string, path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Stops the server and its plugins and waits for the server (idempotent). */
  stop(): Promise<void>;
}

const binaries = new Map<EngineKind, Promise<string>>();

/**
 * Path of the engine binary from the install scripts, resolved once per process. OpenBao is
 * installed when missing (seconds); Vault is never built here (25-45 min cold): a missing Vault
 * is an error that says to run `make engines`.
 *
 * @throws Error with the script's stderr when it fails.
 */
export function engineBinary(kind: EngineKind): Promise<string> {
  let binary = binaries.get(kind);
  if (!binary) {
    binary = kind === "openbao"
      ? runScript("install-openbao.sh", [])
      : runScript("build-vault.sh", ["--installed"]);
    binary.catch(() => binaries.delete(kind));
    binaries.set(kind, binary);
  }
  return binary;
}

async function runScript(script: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("bash", {
    args: [`${REPO_ROOT}/scripts/engines/${script}`, ...args],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr).trim();
  if (!out.success) throw new Error(`scripts/engines/${script} failed (${out.code}): ${stderr}`);
  return new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!;
}

/**
 * Environment for the server and the CLI: ours without VAULT_* and BAO_*, then `extra`. A
 * developer's VAULT_ADDR or VAULT_TOKEN must not steer a test, and OpenBao lets its own environment
 * override the variables it sets for plugins (docs/engines.md).
 */
function engineEnv(extra: Record<string, string>): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([name]) => !/^(VAULT|BAO)_/.test(name)),
  );
  return { ...env, NO_COLOR: "1", ...extra };
}

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

async function waitHealthy(addr: string, exited: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited()) throw new Error("the dev server exited during start-up");
    try {
      const response = await fetch(`${addr}/v1/sys/health`);
      const body = await response.json();
      // 200 means initialized, unsealed and active; dev plugins are registered before listening.
      if (response.status === 200 && body.initialized && !body.sealed) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the dev server at ${addr} was not healthy within ${timeoutMs} ms`);
}

/**
 * Starts a dev server (`server -dev -dev-root-token-id=root`) on a free loopback port with
 * `pluginDir` as its `-dev-plugin-dir`, and waits until `sys/health` reports it initialized and
 * unsealed. The server and its plugins are killed if this process exits, fails or gets SIGINT or
 * SIGTERM before {@link Engine.stop}.
 *
 * @throws Error with the log's tail when the server does not become healthy within 60 s.
 */
export async function startEngine(kind: EngineKind, options: EngineOptions): Promise<Engine> {
  const binary = await engineBinary(kind);
  const pluginDir = await Deno.realPath(options.pluginDir);
  const port = freePort();
  const addr = `http://127.0.0.1:${port}`;
  const logPath = `${options.workDir}/${kind}.log`;
  const home = { HOME: options.workDir };
  const child = new Deno.Command(binary, {
    args: [
      "server",
      "-dev",
      "-dev-root-token-id=root",
      `-dev-listen-address=127.0.0.1:${port}`,
      `-dev-plugin-dir=${pluginDir}`,
      `-dev-plugin-init=${options.autoRegister ?? false}`,
      "-log-level=debug",
    ],
    clearEnv: true,
    env: engineEnv({ ...home, ...options.env }),
    // Its own process group: one kill reaches the server and the plugins it started.
    detached: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  trackGroup(child.pid);
  let exited = false;
  const status = child.status.finally(() => exited = true);
  await Deno.writeTextFile(logPath, "");
  const logged = Promise.all(
    [child.stdout, child.stderr].map((stream) => appendTo(logPath, stream)),
  );

  const target = { VAULT_ADDR: addr, BAO_ADDR: addr, VAULT_TOKEN: "root", BAO_TOKEN: "root" };
  const cliEnv = engineEnv({ ...home, ...target });
  let stopped: Promise<void> | undefined;
  const engine: Engine = {
    kind,
    binary,
    addr,
    token: "root",
    pluginDir,
    logPath,
    pid: child.pid,
    cli: (args) => runCli(binary, args, cliEnv),
    api: (method, path, body) => callApi(addr, method, path, body),
    stop() {
      stopped ??= stopServer(child, status, logged);
      return stopped;
    },
  };
  try {
    await waitHealthy(addr, () => exited, 60_000);
  } catch (error) {
    await engine.stop();
    const tail = (await Deno.readTextFile(logPath)).split("\n").slice(-20).join("\n");
    throw new Error(`${kind} did not start: ${(error as Error).message}\n${tail}`);
  }
  return engine;
}

async function runCli(binary: string, args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(binary, { args, clearEnv: true, env, stdin: "null" }).output();
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

async function callApi(addr: string, method: string, path: string, body: unknown) {
  const response = await fetch(`${addr}/v1/${path}`, {
    method,
    headers: { "x-vault-token": "root", "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return { status: response.status, body: text ? JSON.parse(text) as unknown : undefined };
  } catch {
    return { status: response.status, body: text as unknown };
  }
}

/**
 * Copies a stream to the end of a file chunk by chunk, so the log is readable while the server
 * runs. Each stream has its own append-mode handle: every write lands whole at the end, so lines of
 * stdout and stderr do not interleave. (`stream.pipeTo(file.writable)` showed nothing until the
 * stream closed in Deno 2.9.6.)
 */
async function appendTo(path: string, stream: ReadableStream<Uint8Array>): Promise<void> {
  let file: Deno.FsFile | undefined = await Deno.open(path, { append: true });
  for await (const chunk of stream) {
    try {
      for (let done = 0; done < chunk.length && file;) {
        done += await file.write(chunk.subarray(done));
      }
    } catch {
      // The log is gone (its directory was removed): keep draining, or the server would block on a
      // full pipe.
      file?.close();
      file = undefined;
    }
  }
  file?.close();
}

/**
 * SIGTERM to the server alone, so that it stops its plugins in order; SIGKILL after 5 s; then
 * SIGKILL to the process group for any plugin the server left behind.
 */
async function stopServer(
  child: Deno.ChildProcess,
  status: Promise<Deno.CommandStatus>,
  logged: Promise<unknown>,
): Promise<void> {
  try {
    child.kill("SIGTERM");
  } catch {
    // already gone
  }
  const timer = setTimeout(() => killGroup(child.pid, "SIGKILL"), 5000);
  await status;
  clearTimeout(timer);
  killGroup(child.pid, "SIGKILL");
  forgetGroup(child.pid);
  await logged;
}

/**
 * Registers a secrets plugin by sha256 as an operator would:
 * `plugin register -sha256=HEX -command=FILE [-version=V] secret NAME`. `file` is a file name in
 * the engine's plugin directory.
 *
 * @throws Error with the CLI's stderr when registration fails.
 */
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

/**
 * PIDs of the plugin processes the engine runs (its live children, read from /proc), e.g. for
 * kill -9 tests.
 */
export function pluginProcesses(engine: Engine): Promise<number[]> {
  return Promise.resolve(childPids(engine.pid));
}
