/**
 * The services go-plugin's host expects next to the backend (protocol.md §3.1-3.5): health,
 * broker, controller and stdio. The backend protocol itself is src/plugin/backend_server.ts.
 *
 * @module
 */
import { decode, encode } from "../sdk/pb/codec.ts";
import type { Broker } from "./broker.ts";
import { GrpcError, Status, type StreamHandler, type UnaryHandler } from "./transport/mod.ts";

/** The health service name go-plugin's Ping asks about (grpc_server.go GRPCServiceName). */
export const HEALTH_SERVICE_NAME = "plugin";

/** HealthCheckResponse.ServingStatus values we send. */
const SERVING = 1;
const SERVICE_UNKNOWN = 3;

/** Where services are registered (a GrpcServer). */
export interface ServiceRegistry {
  /** Registers a unary method. */
  addUnary(method: string, handler: UnaryHandler): void;
  /** Registers a streaming method. */
  addStream(method: string, handler: StreamHandler): void;
}

/** What the services act on. */
export interface PluginServiceHooks {
  /** Serves `plugin.GRPCBroker/StartStream`. */
  broker: Pick<Broker, "startStream">;
  /** Called once the reply to `plugin.GRPCController/Shutdown` is on its way. */
  onShutdown(): void;
  /** Aborted when the process stops: long-lived streams end then, so the server closes quickly. */
  stopping: AbortSignal;
}

/**
 * Registers health, broker, controller and stdio on `server`.
 *
 * - `grpc.health.v1.Health/Check`: SERVING for "plugin" and "", NOT_FOUND for other names (as
 *   grpc-go's health server answers); `Watch` sends the status once and stays open.
 * - `plugin.GRPCBroker/StartStream`: the broker's stream (src/plugin/broker.ts).
 * - `plugin.GRPCController/Shutdown`: replies, then `onShutdown` stops the process. go-plugin
 *   hard-stops its server inside the call; we reply first so the host sees a clean OK.
 * - `plugin.GRPCStdio/StreamStdio`: go-plugin servers swap os.Stdout/os.Stderr for pipes and
 *   stream what is written to them here as StdioData chunks; the host copies them to its
 *   SyncStdout/SyncStderr, which Vault and OpenBao leave at io.Discard. We write hclog lines
 *   straight to stderr (the Go SDK's logger does the same: it holds the real fd 2) and route
 *   console output there too, so this stream has nothing to carry. It stays open without
 *   sending, because the host treats the stream's end as the end of stdio, and closes when the
 *   host cancels it or we stop.
 */
export function registerPluginServices(server: ServiceRegistry, hooks: PluginServiceHooks): void {
  server.addUnary("/grpc.health.v1.Health/Check", async (request) => {
    const { service } = decode("grpc.health.v1.HealthCheckRequest", request);
    if (!isKnownService(service)) throw new GrpcError(Status.NOT_FOUND, "unknown service");
    return encode("grpc.health.v1.HealthCheckResponse", { status: SERVING });
  });
  server.addStream("/grpc.health.v1.Health/Watch", async (call) => {
    const first = await firstMessage(call.messages);
    const { service } = decode("grpc.health.v1.HealthCheckRequest", first);
    const status = isKnownService(service) ? SERVING : SERVICE_UNKNOWN;
    await call.send(encode("grpc.health.v1.HealthCheckResponse", { status }));
    await untilAborted(call.ctx.signal, hooks.stopping);
  });
  server.addStream("/plugin.GRPCBroker/StartStream", hooks.broker.startStream);
  server.addUnary("/plugin.GRPCController/Shutdown", async () => {
    setTimeout(hooks.onShutdown, 0);
    return encode("plugin.Empty", {});
  });
  server.addStream("/plugin.GRPCStdio/StreamStdio", async (call) => {
    await untilAborted(call.ctx.signal, hooks.stopping);
  });
}

function isKnownService(name: string): boolean {
  return name === "" || name === HEALTH_SERVICE_NAME;
}

async function firstMessage(messages: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  for await (const message of messages) return message;
  return new Uint8Array();
}

/** Resolves when any of `signals` aborts. */
function untilAborted(...signals: AbortSignal[]): Promise<void> {
  return new Promise((resolve) => {
    const any = AbortSignal.any(signals);
    if (any.aborted) resolve();
    else any.addEventListener("abort", () => resolve(), { once: true });
  });
}
