/**
 * The engines `make engines` installs are real: each starts in dev mode on loopback and answers
 * sys/health initialized and unsealed. A missing Vault fails unless E2E_SKIP_VAULT=1.
 */
import assert from "node:assert/strict";
import { type EngineKind, startEngine } from "./_engine.ts";

for (const kind of ["openbao", "vault"] as EngineKind[]) {
  const wanted = (Deno.env.get("ENGINES") ?? "openbao vault").split(/[\s,]+/).includes(kind);
  const skip = !wanted || (kind === "vault" && Deno.env.get("E2E_SKIP_VAULT") === "1");
  Deno.test({
    name: `${kind} dev server answers sys/health`,
    ignore: skip,
    sanitizeResources: false,
    sanitizeOps: false,
    async fn() {
      const workDir = await Deno.makeTempDir({ prefix: `health-${kind}-` });
      await Deno.mkdir(`${workDir}/plugins`);
      const engine = await startEngine(kind, { pluginDir: `${workDir}/plugins`, workDir });
      try {
        const health = await engine.api("GET", "sys/health");
        assert.equal(health.status, 200);
        const body = health.body as { initialized: boolean; sealed: boolean; version: string };
        assert.equal(body.initialized, true);
        assert.equal(body.sealed, false);
        assert.match(body.version, /^\d+\.\d+\.\d+/);
        console.log(`${kind} ${body.version} healthy at ${engine.addr}`);
      } finally {
        await engine.stop();
        await Deno.remove(workDir, { recursive: true });
      }
    },
  });
}
