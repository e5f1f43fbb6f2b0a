/**
 * Fault and load tests on a real engine, each asserting that nothing is lost: LiteLLM down during
 * creds and during revoke, a slow LiteLLM, the plugin killed during 200 concurrent creds, 500
 * concurrent creds revoked by prefix, and fuzzed request data.
 *
 * @module
 */
import { check, type StepRunner } from "./_runner.ts";
import { type Artifact, preparePluginDir, REPO_ROOT } from "./_artifact.ts";
import { type Engine, pluginProcesses, registerPlugin, startEngine } from "./_engine.ts";
import { type MockLiteLLM, startMockLiteLLM } from "../tests/mock_litellm.ts";
import { workDirFor } from "./_litellm.ts";

async function mount(
  engine: Engine,
  mock: MockLiteLLM,
  masterKey: string,
  path: string,
  options: Record<string, string> = {},
) {
  const enabled = await engine.api("POST", `sys/mounts/${path}`, { type: "litellm", options });
  check(
    enabled.status === 204,
    `enable ${path}: ${enabled.status} ${JSON.stringify(enabled.body)}`,
  );
  const config = await engine.api("POST", `${path}/config`, {
    base_url: mock.url,
    master_key: masterKey,
    request_timeout: "2s",
  });
  check(config.status === 204, `config ${path}: ${config.status}`);
  const role = await engine.api("POST", `${path}/roles/dev`, { models: "m", ttl: "1h" });
  check(role.status === 204, `role ${path}: ${role.status}`);
}

async function leases(engine: Engine, prefix: string): Promise<string[]> {
  const listed = await engine.api("LIST", `sys/leases/lookup/${prefix}`);
  return listed.status === 404 ? [] : ((listed.body as { data: { keys: string[] } }).data.keys);
}

async function until(what: string, timeoutMs: number, condition: () => Promise<boolean> | boolean) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

const creds = (engine: Engine, path: string) => engine.api("GET", `${path}/creds/dev`);

/** Runs the fault suite on one engine. */
export async function faultSuite(
  runner: StepRunner,
  kind: "openbao" | "vault",
  artifact: Artifact,
): Promise<void> {
  const s = `${kind}*`;
  const workDir = await workDirFor(`${REPO_ROOT}/e2e/.work`, `${kind}-faults`);
  const masterKey = `sk-master-${crypto.randomUUID().replaceAll("-", "")}`;
  const mock = await startMockLiteLLM({ masterKey });
  runner.defer(() => mock.close());
  const engine = await startEngine(kind, {
    pluginDir: await preparePluginDir(artifact, workDir),
    workDir,
  });
  runner.defer(() => engine.stop());
  await registerPlugin(engine, {
    name: "litellm",
    file: artifact.fileName,
    sha256: artifact.sha256,
  });
  await mount(engine, mock, masterKey, "litellm", { wal_rollback_min_age: "1s" });

  await runner.step(s, "LiteLLM down during creds: clear error, no lease, no key", async () => {
    await mock.down();
    const failed = await creds(engine, "litellm");
    mock.up();
    check(failed.status >= 400, `creds answered ${failed.status}`);
    check(
      JSON.stringify(failed.body).includes("LiteLLM /key/generate failed"),
      `unclear error: ${JSON.stringify(failed.body)}`,
    );
    check((await leases(engine, "litellm/creds/dev/")).length === 0, "a lease exists");
    check(mock.keys.size === 0, "a key exists at LiteLLM");
  });

  await runner.step(s, "a slow LiteLLM: our timeout holds", async () => {
    mock.inject({ path: "/key/generate", delayMs: 6000, count: 1 });
    const started = Date.now();
    const failed = await creds(engine, "litellm");
    check(
      failed.status >= 400 && /timed out after 2000 ms/.test(JSON.stringify(failed.body)),
      JSON.stringify(failed.body),
    );
    check(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  });

  await runner.step(
    s,
    "the rollback deletes the key minted after the timeout (no lease)",
    async () => {
      await until("the slow key to appear", 10_000, () => mock.keys.size === 1);
      // The host runs the rollback every minute; the mount's WAL min age is 1 s.
      await until("the rollback to delete it", 90_000, () => mock.keys.size === 0);
    },
  );

  await runner.step(
    s,
    "LiteLLM down during revoke: the engine retries and the key is deleted",
    async () => {
      const issued = await creds(engine, "litellm");
      const leaseId = (issued.body as { lease_id: string }).lease_id;
      await mock.down();
      await engine.api("PUT", "sys/leases/revoke", { lease_id: leaseId, sync: false });
      await new Promise((r) => setTimeout(r, 1500));
      mock.up();
      await until("the key to be deleted", 90_000, () => mock.keys.size === 0);
      await until(
        "the lease to be gone",
        30_000,
        async () => (await leases(engine, "litellm/creds/dev/")).length === 0,
      );
    },
  );

  await runner.step(
    s,
    "500 concurrent creds are distinct and all deleted by lease revoke -prefix",
    async () => {
      const results = await Promise.all(
        Array.from({ length: 500 }, () => creds(engine, "litellm")),
      );
      const keys = new Set(results.map((r) => (r.body as { data: { key: string } }).data?.key));
      check(
        results.every((r) => r.status === 200),
        `errors: ${results.filter((r) => r.status !== 200).length}`,
      );
      check(
        keys.size === 500 && mock.keys.size === 500,
        `distinct ${keys.size}, at LiteLLM ${mock.keys.size}`,
      );
      const revoked = await engine.api("PUT", "sys/leases/revoke-prefix/litellm/creds/dev", {});
      check(revoked.status === 204, `revoke-prefix answered ${revoked.status}`);
      await until("every key to be deleted", 60_000, () => mock.keys.size === 0);
    },
  );

  await runner.step(
    s,
    "plugin killed during 200 concurrent creds: every key has a lease or is rolled back",
    async () => {
      const pending = Promise.all(
        Array.from({ length: 200 }, () => creds(engine, "litellm").catch(() => undefined)),
      );
      await until("some keys to be minted", 20_000, () => mock.keys.size >= 20);
      for (const pid of await pluginProcesses(engine)) Deno.kill(pid, "SIGKILL");
      await pending;
      await creds(engine, "litellm"); // the engine restarts the plugin
      await until(
        "keys at LiteLLM to match leases",
        120_000,
        async () => mock.keys.size === (await leases(engine, "litellm/creds/dev/")).length,
      );
      await engine.api("PUT", "sys/leases/revoke-prefix/litellm/creds/dev", {});
      await until("every key to be deleted", 60_000, () => mock.keys.size === 0);
    },
  );

  await runner.step(
    s,
    "fuzzed request data is refused with 400s and the plugin lives on",
    async () => {
      const [pid] = await pluginProcesses(engine);
      const deep = JSON.parse("[".repeat(500) + "]".repeat(500));
      const bodies: unknown[] = [
        { models: "x".repeat(1 << 20) + ",", max_budget: "NaN" },
        { models: "y".repeat(64 << 10) + ",", max_budget: "NaN" },
        { models: deep, ttl: deep },
        { models: ["m"], ttl: { a: 1 }, metadata: [1, 2] },
        { models: 12, max_budget: true, tpm_limit: 1e300 },
        { models: "m", budget_duration: "\u0000\u0001", key_alias_prefix: "☃" },
      ];
      for (const body of bodies) {
        const answered = await engine.api("POST", "litellm/roles/fuzz", body);
        // Vault refuses JSON over its own size and depth limits before the plugin sees it.
        const refusedByEngine = /exceeds allowed (length|nesting depth)/.test(
          JSON.stringify(answered.body ?? ""),
        );
        check(
          answered.status === 400 || refusedByEngine,
          `${JSON.stringify(body).slice(0, 80)} answered ${answered.status}: ${
            JSON.stringify(answered.body ?? null).slice(0, 200)
          }`,
        );
      }
      check(
        (await engine.api("GET", "litellm/roles/fuzz")).status === 404,
        "a fuzzed role was stored",
      );
      check((await pluginProcesses(engine)).includes(pid), "the plugin process changed");
    },
  );

  await runner.step(s, "the master key appears in no log, response or error", async () => {
    const log = await Deno.readTextFile(engine.logPath);
    check(
      !log.includes(masterKey),
      "the master key is in the engine log (which carries the plugin's stderr)",
    );
    const config = await engine.api("GET", "litellm/config");
    check(!JSON.stringify(config.body).includes(masterKey), "config read returned the master key");
  });
}
