/**
 * Measurements for the benchmarks: latency statistics, process RSS, cold start to the handshake
 * line, and the HandleRequest round trip over our transport with an in-process host.
 *
 * @module
 */
import { GrpcClient, GrpcServer } from "../src/plugin/transport/mod.ts";
import { createBackendService } from "../src/plugin/backend_server.ts";
import { factory } from "../src/litellm/backend.ts";
import { encode } from "../src/sdk/pb/codec.ts";
import { MemoryStorage } from "../src/sdk/testing/memory_storage.ts";
import { createHclogLogger } from "../src/plugin/logger.ts";
import { MAGIC_COOKIE_VALUE } from "../src/plugin/handshake.ts";
import { makeTestCert } from "../tests/_certs.ts";
import { fakeHost } from "../tests/sdk/pb/_fake_host.ts";

/** Latency figures in ms. */
export interface Stats {
  count: number;
  errors: number;
  p50: number;
  p99: number;
  perSecond: number;
}

/** Percentiles of `latencies` (ms) and throughput over `elapsedMs`. */
export function latencyStats(latencies: number[], errors: number, elapsedMs: number): Stats {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    count: sorted.length,
    errors,
    p50: at(0.5),
    p99: at(0.99),
    perSecond: sorted.length / (elapsedMs / 1000),
  };
}

/** Resident memory of a process in MB (VmRSS). */
export async function rssMb(pid: number): Promise<number> {
  const status = await Deno.readTextFile(`/proc/${pid}/status`);
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Median time from exec to the handshake line on stdout, over `runs` runs. */
export async function coldStartMs(path: string, runs: number): Promise<number> {
  const host = await makeTestCert();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = new Deno.Command(path, {
      env: {
        VAULT_BACKEND_PLUGIN: MAGIC_COOKIE_VALUE,
        PLUGIN_PROTOCOL_VERSIONS: "5",
        PLUGIN_CLIENT_CERT: host.cert,
      },
      stdout: "piped",
      stderr: "null",
      stdin: "null",
    }).spawn();
    const reader = child.stdout.getReader();
    await reader.read();
    times.push(performance.now() - started);
    child.kill("SIGKILL");
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    await child.status;
  }
  return latencyStats(times, 0, 1).p50;
}

/** p50 of HandleRequest (a roles/ list) from an in-process host over a unix socket. */
export async function handleRequestRoundTrip(calls: number): Promise<Stats> {
  const [plugin, host] = await Promise.all([makeTestCert(), makeTestCert()]);
  const storage = new MemoryStorage();
  const service = createBackendService(factory, {
    dialBroker: async () => ({ invoke: fakeHost({ storage }).invoke, close: async () => {} }),
    logger: createHclogLogger({ level: "error" }),
    version: "bench",
    multiplex: false,
  });
  const server = new GrpcServer({ tls: { key: plugin.key, cert: plugin.cert, ca: host.cert } });
  for (const [method, handler] of Object.entries(service.handlers)) {
    server.addUnary(method, handler);
  }
  const dir = await Deno.makeTempDir();
  await server.listen({ path: `${dir}/p.sock` });
  const client = await GrpcClient.connect({ path: `${dir}/p.sock` }, {
    tls: { key: host.key, cert: host.cert, ca: plugin.cert },
  });
  await client.unary("/pb.Backend/Setup", encode("pb.SetupArgs", { broker_id: 1 }));
  const request = encode("pb.HandleRequestArgs", {
    request: { operation: "list", path: "roles/", data: "null" },
  });
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await client.unary("/pb.Backend/HandleRequest", request);
    latencies.push(performance.now() - t0);
  }
  const stats = latencyStats(latencies, 0, performance.now() - started);
  await client.close();
  await server.close({ graceMs: 100 });
  await Deno.remove(dir, { recursive: true });
  return stats;
}
