/**
 * Serves a backend as a Vault/OpenBao plugin process (protocol.md §1-4): checks the host's
 * environment, listens with mutual TLS on a unix socket in a private directory, prints the
 * handshake line, answers go-plugin's services and the backend protocol, and stops cleanly when
 * the host says so, sends SIGTERM or disappears.
 *
 * @module
 */
import type { BackendFactory, Logger } from "../sdk/logical.ts";
import { createBackendService } from "./backend_server.ts";
import { Broker } from "./broker.ts";
import { generatePluginCertificate } from "./certificate.ts";
import {
  APP_PROTOCOL_VERSION,
  type EnvironmentProblem,
  handshakeLine,
  type HostEnvironment,
  readHostEnvironment,
} from "./handshake.ts";
import { createHclogLogger, levelFromEnv } from "./logger.ts";
import { openListener, type PluginListener } from "./open_listener.ts";
import { watchParent } from "./parent_watch.ts";
import { registerPluginServices } from "./services.ts";
import { captureStrayOutput } from "./stray_output.ts";
import { GrpcServer } from "./transport/mod.ts";

/** Options of serve(). */
export interface ServeOptions {
  /** Plugin name: the log module and the name in messages and `--version`. */
  name: string;
  /** Version printed by `--version` and reported to the host (e.g. "v0.1.0"). */
  version: string;
  /**
   * Process arguments. `--version` prints `NAME VERSION` and exits; `--tcp` listens on
   * 127.0.0.1 in the host's port range instead of a unix socket (register the plugin with
   * `-args=--tcp` where unix sockets are not available). @default Deno.args
   */
  args?: string[];
  /** Environment. @default Deno.env.toObject() */
  env?: Record<string, string | undefined>;
}

/** The host kills us 2 s after Shutdown; we aim to be gone well before. */
const SHUTDOWN_DEADLINE_MS = 1500;
/** Time backends get to clean up at shutdown. */
const CLEANUP_TIMEOUT_MS = 800;
/** After the broker stream ends, time for the Shutdown call that normally follows. */
const STREAM_END_GRACE_MS = 1000;

const encoder = new TextEncoder();

/**
 * Runs the plugin process; returns only by exiting: 0 after a shutdown, 1 when it cannot serve
 * (run by a person, probed as a database plugin, a bad environment, nothing to listen on).
 *
 * @example
 * ```ts ignore
 * await serve(factory, { name: "vault-plugin-secrets-litellm", version: "v0.1.0" });
 * ```
 */
export async function serve(factory: BackendFactory, options: ServeOptions): Promise<never> {
  const args = options.args ?? Deno.args;
  if (args.includes("--version") || args.includes("-version")) {
    writeAll(Deno.stdout, `${options.name} ${options.version}\n`);
    Deno.exit(0);
  }
  const env = options.env ?? Deno.env.toObject();
  const host = readHostEnvironment(env);
  if ("kind" in host) refuse(host, options.name);
  const logger = createHclogLogger({ level: levelFromEnv(env), module: options.name });
  // Before anything can print: stdout is for the handshake line only.
  captureStrayOutput(logger);
  warnAboutHost(host, env, logger);
  const running = await start(factory, host, logger, { ...options, tcp: args.includes("--tcp") })
    .catch((error) => {
      logger.error("plugin failed to start", { error });
      Deno.exit(1);
    });
  try {
    writeAll(Deno.stdout, handshakeLine(running.listener, running.certDer, host));
  } catch (error) {
    // The host closed our stdout: nobody will ever connect.
    logger.error("cannot write the handshake line", { error });
    await running.listener.remove();
    Deno.exit(1);
  }
  logger.info("plugin started", {
    version: options.version,
    protocol: APP_PROTOCOL_VERSION,
    network: running.listener.network,
  });
  return await new Promise<never>(() => {});
}

/** Sets up everything, ready for the handshake line. */
async function start(
  factory: BackendFactory,
  host: HostEnvironment,
  logger: Logger,
  options: ServeOptions & { tcp: boolean },
): Promise<{ listener: PluginListener; certDer: Uint8Array }> {
  const cert = await generatePluginCertificate();
  const tls = { key: cert.keyPem, cert: cert.certPem, ca: host.hostCertPem };
  const server = new GrpcServer({ tls });
  const stopping = new AbortController();
  // Bound last, but the stop below must know it.
  const bound: { listener?: PluginListener } = {};

  const stop = async (reason: string) => {
    if (stopping.signal.aborted) return;
    stopping.abort();
    logger.info("plugin shutting down", { reason });
    const deadline = setTimeout(() => {
      logger.warn("plugin shutdown took too long; exiting now");
      if (bound.listener?.dir) removeSync(bound.listener.dir);
      Deno.exit(0);
    }, SHUTDOWN_DEADLINE_MS);
    broker.close();
    await withTimeout(backends.cleanupAll(), CLEANUP_TIMEOUT_MS).catch((error) =>
      logger.warn("backend cleanup failed at shutdown", { error })
    );
    await server.close({ graceMs: 300 }).catch(() => {});
    await bound.listener?.remove();
    clearTimeout(deadline);
    Deno.exit(0);
  };

  const broker = new Broker(tls, {
    // The host holds this stream for as long as it needs us.
    onStreamEnd: () =>
      setTimeout(() => stop("the host closed the broker stream"), STREAM_END_GRACE_MS),
  });
  const backends = createBackendService(factory, {
    dialBroker: (id, signal) => broker.dial(id, { signal }),
    logger,
    version: options.version,
    multiplex: true,
  });
  registerPluginServices(server, {
    broker,
    onShutdown: () => stop("the host called GRPCController.Shutdown"),
    stopping: stopping.signal,
  });
  for (const [method, handler] of Object.entries(backends.handlers)) {
    server.addUnary(method, handler);
  }

  const listener = bound.listener = await openListener(
    server,
    options.tcp
      ? { network: "tcp", minPort: host.portRange.min, maxPort: host.portRange.max }
      : { network: "unix", parentDir: host.socketDir, group: host.socketGroup },
  );
  handleSignals(logger, () => stop("SIGTERM"));
  watchParent(() => stop("the engine process is gone"));
  return { listener, certDer: cert.certDer };
}

/** Ignores SIGINT as go-plugin does: a Ctrl-C in the engine's terminal is the engine's to handle. */
function handleSignals(logger: Logger, onTerm: () => void): void {
  Deno.addSignalListener("SIGINT", () => logger.trace("ignoring SIGINT"));
  try {
    Deno.addSignalListener("SIGTERM", onTerm);
  } catch {
    // Windows has no SIGTERM; the host's Shutdown call and its kill remain.
  }
}

function warnAboutHost(
  host: HostEnvironment,
  env: Record<string, string | undefined>,
  logger: Logger,
): void {
  if (host.protocolVersions.length > 0 && !host.protocolVersions.includes(APP_PROTOCOL_VERSION)) {
    logger.warn("the host does not offer backend protocol 5, the only one this plugin speaks", {
      offered: host.protocolVersions.join(","),
    });
  }
  if (host.multiplexGrpcRequested) {
    logger.warn(
      "the host asked for the multiplexed gRPC broker (container plugins only), " +
        "which this plugin does not support; it will refuse to start it",
    );
  }
  if (env["VAULT_PLUGIN_MLOCK_ENABLED"] === "true") {
    logger.info("memory locking is not available to this plugin; it runs without mlock");
  }
}

/** Explains on stderr why we do not serve, and exits 1 (go-plugin's behaviour). */
function refuse(problem: EnvironmentProblem, name: string): never {
  const message = problem.kind === "not-a-host"
    ? notAHostMessage(name)
    : problem.kind === "database-probe"
    ? `${name} is a secrets engine plugin, not a database plugin.\n`
    : `${name} cannot start: ${problem.message}\n`;
  writeAll(Deno.stderr, message);
  Deno.exit(1);
}

function notAHostMessage(name: string): string {
  return `This binary is a plugin for HashiCorp Vault and OpenBao; it is not meant to be run directly.
Put it in the engine's plugin_directory, then register and enable it, for example:

  vault plugin register -sha256=$(sha256sum ${name} | cut -d' ' -f1) secret ${name}
  vault secrets enable -path=litellm ${name}

(with OpenBao: bao plugin register ... and bao secrets enable ...). "${name} --version"
prints the version.
`;
}

function writeAll(file: { writeSync(p: Uint8Array): number }, text: string): void {
  const bytes = encoder.encode(text);
  for (let written = 0; written < bytes.length;) {
    written += file.writeSync(bytes.subarray(written));
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function removeSync(dir: string): void {
  try {
    Deno.removeSync(dir, { recursive: true });
  } catch {
    // Already gone.
  }
}
