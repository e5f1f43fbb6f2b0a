/**
 * The engines `make engines` installs are real: each starts in dev mode on loopback, answers
 * sys/health initialized and unsealed, registers plugins from its (symlink-resolved) plugin
 * directory, and is gone with its process group after stop(). A missing Vault fails (run
 * `make engines`) unless E2E_SKIP_VAULT=1 or ENGINES leaves Vault out.
 */
import assert from "node:assert/strict";
import { type EngineKind, registerPlugin, startEngine } from "./_engine.ts";

/** Why an engine's test is skipped, or undefined when it runs. */
function skipReason(kind: EngineKind): string | undefined {
  const selected = (Deno.env.get("ENGINES") ?? "openbao vault").split(/\s+/);
  if (!selected.includes(kind)) return `ENGINES="${selected.join(" ")}" leaves ${kind} out`;
  if (kind === "vault" && Deno.env.get("E2E_SKIP_VAULT") === "1") return "E2E_SKIP_VAULT=1";
}

function groupAlive(pgid: number): boolean {
  try {
    Deno.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

for (const kind of ["openbao", "vault"] as const) {
  const skip = skipReason(kind);
  if (skip) console.log(`${kind} dev server answers sys/health: skipped because ${skip}`);
  Deno.test({
    name: `${kind} dev server answers sys/health`,
    ignore: skip !== undefined,
    async fn() {
      const workDir = await Deno.makeTempDir({ prefix: `health-${kind}-` });
      try {
        await Deno.mkdir(`${workDir}/plugins`);
        const engine = await startEngine(kind, { pluginDir: `${workDir}/plugins`, workDir });
        try {
          const health = await engine.api("GET", "sys/health");
          assert.equal(health.status, 200);
          const body = health.body as { initialized: boolean; sealed: boolean; version: string };
          assert.equal(body.initialized, true);
          assert.equal(body.sealed, false);
          assert.match(body.version, /^\d+\.\d+\.\d+/);
          const token = await engine.cli(["token", "lookup", "-format=json"]);
          assert.equal(token.code, 0, token.stderr);
          assert.equal(JSON.parse(token.stdout).data.id, "root");
          console.log(`${kind} ${body.version} healthy at ${engine.addr}`);
        } finally {
          await engine.stop();
        }
        assert.equal(groupAlive(engine.pid), false, `${kind} process group still alive`);
      } finally {
        await Deno.remove(workDir, { recursive: true });
      }
    },
  });
}

for (const kind of ["openbao", "vault"] as const) {
  Deno.test({
    name: `${kind} registers plugins from the real path of a symlinked plugin directory`,
    ignore: skipReason(kind) !== undefined,
    async fn() {
      const workDir = await Deno.makeTempDir({ prefix: `plugindir-${kind}-` });
      try {
        await Deno.mkdir(`${workDir}/plugins`);
        await Deno.writeTextFile(`${workDir}/plugins/present`, "#!/bin/sh\nexit 1\n", {
          mode: 0o755,
        });
        // Given as-is, the engine would refuse every file: its resolved directory differs.
        await Deno.symlink(`${workDir}/plugins`, `${workDir}/link`);
        const engine = await startEngine(kind, { pluginDir: `${workDir}/link`, workDir });
        try {
          assert.equal(engine.pluginDir, `${await Deno.realPath(workDir)}/plugins`);
          // With a type and no version, registration checks the file's path but does not run it.
          await registerPlugin(engine, {
            name: "present",
            file: "present",
            sha256: "ab".repeat(32),
          });
          const entry = await engine.api("GET", "sys/plugins/catalog/secret/present");
          assert.equal(entry.status, 200);
          assert.equal((entry.body as { data: { command: string } }).data.command, "present");
          await assert.rejects(
            registerPlugin(engine, { name: "absent", file: "absent", sha256: "ab".repeat(32) }),
            (error: Error) => error.message.includes(`${engine.pluginDir}/absent`),
          );
        } finally {
          await engine.stop();
        }
      } finally {
        await Deno.remove(workDir, { recursive: true });
      }
    },
  });
}
