/**
 * Serves a backend as a Vault/OpenBao plugin process: checks the host's environment, listens on
 * a unix socket in a private directory with mutual TLS, prints the handshake line, and answers
 * go-plugin's services (health, broker, controller, stdio) and the backend protocol until the
 * host shuts us down.
 *
 * @module
 */
import { tmpdir } from "node:os";
import type { BackendFactory, Logger } from "../sdk/logical.ts";
import { encode } from "../sdk/pb/codec.ts";
import { createBackendService } from "./backend_server.ts";
import { Broker } from "./broker.ts";
import { generatePluginCertificate } from "./certificate.ts";
import { handshakeLine, readHostEnvironment } from "./handshake.ts";
import { createHclogLogger, levelFromEnv } from "./logger.ts";
import { GrpcServer } from "./transport/mod.ts";

/** Options of serve(). */
export interface ServeOptions {
  /** Plugin name, used in messages and as the log module. */
  name: string;
  /** Version reported by `--version` and to the host. */
  version: string;
  /** Process arguments (default Deno.args). */
  args?: string[];
  /** Environment (default the process's). */
  env?: Record<string, string | undefined>;
}

function notAHostMessage(name: string): string {
  return `This binary is a plugin for HashiCorp Vault and OpenBao and is not meant to be run directly.
Register it with the engine and enable it, for example:

  SHA=$(sha256sum ${name} | cut -d' ' -f1)
  vault plugin register -sha256=$SHA -command=${name} secret litellm   # or: bao plugin register ...
  vault secrets enable -path=litellm litellm

See the README for configuration. "${name} --version" prints the version.
`;
}

/** Runs the plugin process; returns only by exiting. */
export async function serve(factory: BackendFactory, options: ServeOptions): Promise<never> {
  const args = options.args ?? Deno.args;
  if (args.includes("--version") || args.includes("-version")) {
    console.log(`${options.name} ${options.version}`);
    Deno.exit(0);
  }
  const env = options.env ?? Deno.env.toObject();
  const host = readHostEnvironment(env);
  if ("kind" in host) {
    if (host.kind === "not-a-host") {
      Deno.stderr.writeSync(new TextEncoder().encode(notAHostMessage(options.name)));
    } else if (host.kind === "database-probe") {
      console.error("this is a secrets engine plugin, not a database plugin");
    } else console.error(host.message);
    Deno.exit(1);
  }
  const logger = createHclogLogger({
    level: levelFromEnv(env["LITELLM_PLUGIN_LOG_LEVEL"]),
    module: options.name,
  });
  catchStrayErrors(logger);
  Deno.addSignalListener("SIGINT", () => {}); // the engine's terminal Ctrl-C is the engine's to handle

  const cert = await generatePluginCertificate();
  const tls = { key: cert.keyPem, cert: cert.certPem, ca: host.hostCertPem };
  const dir = await Deno.makeTempDir({
    dir: host.socketDir ?? tmpdir(),
    prefix: "plugin-litellm-",
  });
  await Deno.chmod(dir, 0o700);
  const socketPath = `${dir}/plugin.sock`;

  let shuttingDown = false;
  const server = new GrpcServer({ tls });
  const broker = new Broker(tls, {
    // The host holds this stream open for our whole life; when it ends the host is gone.
    onStreamEnd: () => setTimeout(() => shutdown("the host closed the broker stream"), 2000),
  });
  const backends = createBackendService(factory, {
    dialBroker: (id) => broker.dial(id),
    logger,
    version: options.version,
    multiplex: true,
  });
  const shutdown = async (reason: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    logger.debug("plugin shutting down", { reason });
    await backends.cleanupAll().catch(() => {});
    await server.close({ graceMs: 500 }).catch(() => {});
    await Deno.remove(dir, { recursive: true }).catch(() => {});
    Deno.exit(0);
  };
  registerServices(server, broker, () => setTimeout(() => shutdown("GRPCController.Shutdown"), 10));
  for (const [method, handler] of Object.entries(backends.handlers)) {
    server.addUnary(method, handler);
  }
  Deno.addSignalListener("SIGTERM", () => shutdown("SIGTERM"));

  await server.listen({ path: socketPath });
  Deno.stdout.writeSync(
    new TextEncoder().encode(
      handshakeLine({ network: "unix", address: socketPath }, cert.certDer, host),
    ),
  );
  logger.info("plugin started", { version: options.version, protocol: 5 });
  return await new Promise<never>(() => {});
}

function registerServices(server: GrpcServer, broker: Broker, onShutdown: () => void): void {
  const serving = encode("grpc.health.v1.HealthCheckResponse", { status: 1 });
  server.addUnary("/grpc.health.v1.Health/Check", async () => serving);
  server.addStream("/grpc.health.v1.Health/Watch", async (call) => {
    await call.send(serving);
    await untilAborted(call.ctx.signal);
  });
  server.addStream("/plugin.GRPCBroker/StartStream", broker.startStream);
  server.addUnary("/plugin.GRPCController/Shutdown", async () => {
    onShutdown();
    return encode("plugin.Empty", {});
  });
  // We log straight to stderr, as the Go SDK's logger does; this stream never carries data.
  server.addStream("/plugin.GRPCStdio/StreamStdio", (call) => untilAborted(call.ctx.signal));
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
}

function catchStrayErrors(logger: Logger): void {
  globalThis.addEventListener("unhandledrejection", (event) => {
    event.preventDefault();
    logger.error("unhandled rejection", {
      error: String((event.reason as Error)?.message ?? event.reason),
    });
  });
  globalThis.addEventListener("error", (event) => {
    event.preventDefault();
    logger.error("uncaught error", { error: String(event.message) });
  });
}
