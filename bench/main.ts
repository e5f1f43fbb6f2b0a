/**
 * `deno task bench`: what a key costs. Prints a table against the targets and writes
 * bench/results.json. Figures, not pass/fail: run it on an idle machine.
 *
 * - cold start: exec of the artifact to its handshake line (median of 20)
 * - RSS of the plugin process idle and after 1000 creds
 * - creds issue+revoke through the real engines, concurrency 1 and 16, next to the engine's own
 *   floor (KV v2 write+read through the same HTTP client) measured in the same run
 * - HandleRequest round trip over our gRPC transport from an in-process host
 *
 * @module
 */
import { loadArtifact, preparePluginDir, REPO_ROOT } from "../e2e/_artifact.ts";
import {
  type Engine,
  type EngineKind,
  pluginProcesses,
  registerPlugin,
  startEngine,
} from "../e2e/_engine.ts";
import { startMockLiteLLM } from "../tests/mock_litellm.ts";
import { workDirFor } from "../e2e/_litellm.ts";
import {
  coldStartMs,
  handleRequestRoundTrip,
  latencyStats,
  rssMb,
  type Stats,
} from "./_measure.ts";

const KEYS = Number(Deno.env.get("BENCH_KEYS") ?? 500);
const results: Record<string, unknown> = { date: new Date().toISOString(), keys: KEYS };
const rows: Array<[string, string, string]> = [];

function row(name: string, value: string, target: string) {
  rows.push([name, value, target]);
  console.log(`${name.padEnd(52)} ${value.padEnd(28)} ${target}`);
}

async function run(
  engine: Engine,
  concurrency: number,
  n: number,
  op: (i: number) => Promise<void>,
): Promise<Stats> {
  const latencies: number[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < n) {
      const i = next++;
      const t0 = performance.now();
      try {
        await op(i);
        latencies.push(performance.now() - t0);
      } catch {
        errors++;
      }
    }
  }));
  void engine;
  return latencyStats(latencies, errors, performance.now() - started);
}

async function api(engine: Engine, method: string, path: string, body?: unknown) {
  const response = await fetch(`${engine.addr}/v1/${path}`, {
    method,
    headers: { "x-vault-token": "root" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function engineSuite(kind: EngineKind) {
  const artifact = await loadArtifact();
  const workDir = await workDirFor(`${REPO_ROOT}/bench/.work`, kind);
  const masterKey = `sk-bench-${crypto.randomUUID()}`;
  const mock = await startMockLiteLLM({ masterKey });
  const engine = await startEngine(kind, {
    pluginDir: await preparePluginDir(artifact, workDir),
    workDir,
  });
  try {
    await registerPlugin(engine, {
      name: "litellm",
      file: artifact.fileName,
      sha256: artifact.sha256,
    });
    await api(engine, "POST", "sys/mounts/litellm", { type: "litellm" });
    await api(engine, "POST", "litellm/config", { base_url: mock.url, master_key: masterKey });
    await api(engine, "POST", "litellm/roles/bench", { models: "m", ttl: "1h" });
    const [pid] = await pluginProcesses(engine);
    const idle = await rssMb(pid);
    row(`${kind}: plugin RSS idle`, `${idle.toFixed(1)} MB`, "<= 60 MB");
    const out: Record<string, unknown> = { rss_idle_mb: idle };
    for (const concurrency of [1, 16]) {
      const floor = await run(engine, concurrency, KEYS, async (i) => {
        await api(engine, "POST", `secret/data/bench-${i % 64}`, { data: { v: i } });
        await api(engine, "GET", `secret/data/bench-${i % 64}`);
      });
      const creds = await run(engine, concurrency, KEYS, async () => {
        const c = await api(engine, "GET", "litellm/creds/bench");
        await api(engine, "PUT", "sys/leases/revoke", { lease_id: c.lease_id });
      });
      const ratio = creds.p50 / floor.p50;
      row(
        `${kind}: creds issue+revoke c=${concurrency} p50/p99`,
        `${creds.p50.toFixed(2)}/${creds.p99.toFixed(2)} ms`,
        "",
      );
      row(
        `${kind}: creds keys/s c=${concurrency} (errors)`,
        `${creds.perSecond.toFixed(0)}/s (${creds.errors})`,
        "0 errors",
      );
      row(
        `${kind}: KV v2 floor c=${concurrency} p50/p99`,
        `${floor.p50.toFixed(2)}/${floor.p99.toFixed(2)} ms`,
        "",
      );
      row(`${kind}: creds p50 / floor p50 c=${concurrency}`, `${ratio.toFixed(2)}x`, "<= 1.5x");
      out[`c${concurrency}`] = { creds, floor, ratio };
    }
    // Up to 1000 creds in all for the RSS figure.
    for (let i = 2 * KEYS; i < 1000; i++) {
      const c = await api(engine, "GET", "litellm/creds/bench");
      await api(engine, "PUT", "sys/leases/revoke", { lease_id: c.lease_id });
    }
    const after = await rssMb(pid);
    row(`${kind}: plugin RSS after 1000 creds`, `${after.toFixed(1)} MB`, "");
    out.rss_after_1000_mb = after;
    out.keys_left_at_litellm = mock.keys.size;
    row(`${kind}: keys left at LiteLLM`, String(mock.keys.size), "0");
    results[kind] = out;
  } finally {
    await engine.stop();
    await mock.close();
  }
}

async function main() {
  const artifact = await loadArtifact();
  console.log(`bench: artifact ${artifact.kind.toUpperCase()} ${artifact.path}\n`);
  results.artifact = artifact.kind;
  const cold = await coldStartMs(artifact.path, 20);
  row(
    "cold start to handshake (median of 20)",
    `${cold.toFixed(0)} ms`,
    artifact.kind === "launcher" ? "<= 300 ms (launcher)" : "<= 150 ms",
  );
  results.cold_start_ms = cold;
  const rt = await handleRequestRoundTrip(2000);
  row("HandleRequest round trip over our gRPC (p50)", `${rt.p50.toFixed(3)} ms`, "");
  results.handle_request = rt;
  const engines = (Deno.env.get("ENGINES") ?? "openbao vault").split(/\s+/).filter(
    Boolean,
  ) as EngineKind[];
  for (const kind of engines) await engineSuite(kind);
  await Deno.writeTextFile(
    `${REPO_ROOT}/bench/results.json`,
    JSON.stringify({ ...results, rows }, null, 2) + "\n",
  );
  console.log(`\nwrote bench/results.json`);
}

if (import.meta.main) await main();
