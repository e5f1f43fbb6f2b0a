/**
 * The lifecycle suite for one engine: register, enable, configure, role, creds, use the key,
 * renew, revoke, TTL capping, help and OpenAPI, mount isolation, disable cleanup, reload,
 * kill -9 recovery and log hygiene.
 *
 * @module
 */
import { check, type StepRunner } from "./_runner.ts";
import { type Artifact, preparePluginDir, REPO_ROOT } from "./_artifact.ts";
import { type Engine, pluginProcesses, registerPlugin, startEngine } from "./_engine.ts";
import { startMockLiteLLM } from "../tests/mock_litellm.ts";
import { chat, keyExists, keyGone, workDirFor } from "./_litellm.ts";

interface Creds {
  lease_id: string;
  lease_duration: number;
  warnings: string[] | null;
  data: { key: string; key_alias: string; models: string[] };
}

async function readCreds(engine: Engine, path: string, args: string[] = []): Promise<Creds> {
  const out = await engine.cli(["read", "-format=json", path, ...args]);
  check(out.code === 0, `read ${path} failed: ${out.stderr.trim()}`);
  return JSON.parse(out.stdout) as Creds;
}

async function cliOk(engine: Engine, args: string[]): Promise<string> {
  const out = await engine.cli(args);
  check(out.code === 0, `${args.slice(0, 2).join(" ")} failed (${out.code}): ${out.stderr.trim()}`);
  return out.stdout;
}

/** Runs every lifecycle step on one engine; throws at the first failed step. */
export async function lifecycleSuite(
  runner: StepRunner,
  kind: "openbao" | "vault",
  artifact: Artifact,
): Promise<void> {
  const s = kind;
  const workDir = await workDirFor(`${REPO_ROOT}/e2e/.work`, kind);
  const masterKey = `sk-master-${crypto.randomUUID().replaceAll("-", "")}`;
  const mock = await startMockLiteLLM({ masterKey });
  runner.defer(() => mock.close());
  const pluginDir = await preparePluginDir(artifact, workDir);

  const engine = await runner.step(s, "start dev server", async () => {
    const started = await startEngine(kind, { pluginDir, workDir });
    runner.defer(() => started.stop());
    return started;
  });
  await runner.step(
    s,
    "register plugin by sha256",
    () =>
      registerPlugin(engine, { name: "litellm", file: artifact.fileName, sha256: artifact.sha256 }),
  );
  await runner.step(
    s,
    "enable at litellm/",
    () => cliOk(engine, ["secrets", "enable", "-path=litellm", "litellm"]),
  );

  await runner.step(s, "configure (master key never read back)", async () => {
    await cliOk(engine, [
      "write",
      "litellm/config",
      `base_url=${mock.url}`,
      `master_key=${masterKey}`,
    ]);
    const read = await cliOk(engine, ["read", "-format=json", "litellm/config"]);
    check(!read.includes(masterKey), "config read returned the master key");
    check(JSON.parse(read).data.base_url === mock.url, `config read lacks base_url: ${read}`);
  });
  await runner.step(s, "create role", async () => {
    await cliOk(engine, [
      "write",
      "litellm/roles/dev",
      "models=gpt-4o-mini",
      "max_budget=5",
      "ttl=1h",
      "max_ttl=2h",
    ]);
    const role = JSON.parse(await cliOk(engine, ["read", "-format=json", "litellm/roles/dev"]));
    check(role.data.max_budget === 5, `role read back wrong: ${JSON.stringify(role.data)}`);
  });

  const creds = await runner.step(s, "creds issue a key under a lease", async () => {
    const c = await readCreds(engine, "litellm/creds/dev");
    check(c.data.key.startsWith("sk-"), "no key in creds");
    check(c.lease_duration === 3600, `lease_duration ${c.lease_duration}, want 3600`);
    check(await keyExists(mock.url, masterKey, c.data.key), "key not present at LiteLLM");
    return c;
  });
  await runner.step(s, "the key reaches an allowed model", async () => {
    const status = await chat(mock.url, creds.data.key, "gpt-4o-mini");
    check(status === 200, `chat with gpt-4o-mini answered ${status}, want 200`);
  });
  await runner.step(s, "another model is refused", async () => {
    const status = await chat(mock.url, creds.data.key, "gpt-4o");
    check(status === 401, `chat with gpt-4o answered ${status}, want 401`);
  });
  await runner.step(s, "renew extends the lease", async () => {
    const out = JSON.parse(
      await cliOk(engine, ["lease", "renew", "-format=json", "-increment=30m", creds.lease_id]),
    );
    check(out.lease_duration > 0 && out.lease_duration <= 1800, `renewed ${out.lease_duration}`);
  });
  await runner.step(s, "revoke deletes the key at LiteLLM", async () => {
    await cliOk(engine, ["lease", "revoke", creds.lease_id]);
    check(
      await keyGone(mock.url, masterKey, creds.data.key),
      "key still exists 10 s after the revoke",
    );
  });
  await runner.step(s, "the revoked key is refused", async () => {
    const status = await chat(mock.url, creds.data.key, "gpt-4o-mini");
    check(status === 401, `chat with revoked key answered ${status}, want 401`);
  });
  await runner.step(s, "a requested ttl above max_ttl is capped", async () => {
    const c = await readCreds(engine, "litellm/creds/dev", ["ttl=10h"]);
    check(c.lease_duration <= 7200, `lease_duration ${c.lease_duration}, want <= 7200`);
    check((c.warnings ?? []).length > 0, "no warning about the capped ttl");
    await cliOk(engine, ["lease", "revoke", c.lease_id]);
  });
  await runner.step(s, "path-help describes creds", async () => {
    const help = await cliOk(engine, ["path-help", "litellm/creds/dev"]);
    check(help.includes("ttl"), `path-help lacks the ttl field:\n${help}`);
  });
  await runner.step(s, "OpenAPI lists our paths", async () => {
    const doc = await engine.api("GET", "sys/internal/specs/openapi");
    const paths = Object.keys((doc.body as { paths?: Record<string, unknown> }).paths ?? {});
    for (const want of ["/litellm/config", "/litellm/roles/{name}", "/litellm/creds/{name}"]) {
      check(paths.includes(want), `OpenAPI lacks ${want}`);
    }
  });
  await runner.step(s, "a second mount is isolated", async () => {
    await cliOk(engine, ["secrets", "enable", "-path=litellm2", "litellm"]);
    const roles = await engine.cli(["read", "litellm2/roles/dev"]);
    check(roles.code !== 0 || roles.stdout.trim() === "", "litellm2 sees litellm's role");
    await cliOk(engine, [
      "write",
      "litellm2/config",
      `base_url=${mock.url}`,
      `master_key=${masterKey}`,
    ]);
    await cliOk(engine, ["write", "litellm2/roles/other", "models=gpt-4o", "ttl=1h"]);
    const mine = await engine.cli(["read", "litellm/roles/other"]);
    check(mine.code !== 0 || mine.stdout.trim() === "", "litellm sees litellm2's role");
  });
  await runner.step(s, "secrets disable deletes every outstanding key", async () => {
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      keys.push((await readCreds(engine, "litellm2/creds/other")).data.key);
    }
    await cliOk(engine, ["secrets", "disable", "litellm2"]);
    for (const key of keys) check(!(await keyExists(mock.url, masterKey, key)), "a key survived");
  });
  await runner.step(s, "plugin reload keeps serving", async () => {
    await cliOk(engine, ["plugin", "reload", "-plugin=litellm"]);
    const c = await readCreds(engine, "litellm/creds/dev");
    await cliOk(engine, ["lease", "revoke", c.lease_id]);
  });
  await runner.step(s, "kill -9 of the plugin process and recovery", async () => {
    const pids = await pluginProcesses(engine);
    check(pids.length > 0, "no plugin process found");
    for (const pid of pids) Deno.kill(pid, "SIGKILL");
    const c = await readCreds(engine, "litellm/creds/dev");
    check(c.data.key.startsWith("sk-"), "no key after restart");
    await cliOk(engine, ["lease", "revoke", c.lease_id]);
    const role = JSON.parse(await cliOk(engine, ["read", "-format=json", "litellm/roles/dev"]));
    check(role.data.max_budget === 5, "role lost after restart");
  });
  await runner.step(s, "identity templates: a userpass user's key carries its name", async () => {
    await cliOk(engine, ["auth", "enable", "userpass"]);
    const auths = await engine.api("GET", "sys/auth");
    const accessor = (auths.body as Record<string, { accessor: string }>)["userpass/"].accessor;
    await engine.api("PUT", "sys/policies/acl/litellm-user", {
      policy: 'path "litellm/creds/*" { capabilities = ["read"] }',
    });
    await engine.api("POST", "auth/userpass/users/alice", {
      password: "pw-alice",
      policies: "litellm-user",
    });
    const login = await fetch(`${engine.addr}/v1/auth/userpass/login/alice`, {
      method: "POST",
      body: JSON.stringify({ password: "pw-alice" }),
    }).then((r) => r.json());
    await cliOk(engine, [
      "write",
      "litellm/roles/ident",
      "models=gpt-4o-mini",
      `user_id_template={{identity.entity.aliases.${accessor}.name}}`,
    ]);
    const issued = await fetch(`${engine.addr}/v1/litellm/creds/ident`, {
      headers: { "x-vault-token": login.auth.client_token },
    }).then((r) => r.json());
    const info = await fetch(`${mock.url}/key/info?key=${issued.data.key}`, {
      headers: { authorization: `Bearer ${masterKey}` },
    }).then((r) => r.json());
    check(info.info.user_id === "alice", `user_id at LiteLLM is ${info.info.user_id}`);
    const root = await engine.api("GET", "litellm/creds/ident");
    check(root.status === 400, `the root token (no entity) got ${root.status}, want 400`);
    await cliOk(engine, ["lease", "revoke", issued.lease_id]);
  });
  await runner.step(s, "tidy removes a planted orphan and nothing else", async () => {
    const planted = await mock.mint({
      key_alias: "vault-dev-planted",
      models: ["m"],
      metadata: { vault_mount_path: "litellm/" },
    });
    const kept = await readCreds(engine, "litellm/creds/dev");
    const report = JSON.parse(
      await cliOk(engine, ["write", "-format=json", "litellm/tidy", "safety_margin=0s"]),
    );
    check(
      report.data.deleted === 1 && report.data.orphans[0] === "vault-dev-planted",
      JSON.stringify(report.data),
    );
    check(!(await keyExists(mock.url, masterKey, planted.key)), "the planted key survived");
    check(await keyExists(mock.url, masterKey, kept.data.key), "tidy deleted a leased key");
    await cliOk(engine, ["lease", "revoke", kept.lease_id]);
  });
  await runner.step(
    s,
    "rotate-root replaces an admin virtual key, never returning it",
    async () => {
      const admin = await mock.mint({ key_alias: "vault-admin", user_id: "vault-admin" });
      await cliOk(engine, ["write", "litellm/config", `master_key=${admin.key}`]);
      const refused = await engine.cli(["write", "-f", "litellm2-none/config/rotate-root"]);
      check(refused.code !== 0, "rotate-root on a missing mount succeeded");
      const out = JSON.parse(
        await cliOk(engine, ["write", "-format=json", "-f", "litellm/config/rotate-root"]),
      );
      check(out.data.method === "successor", JSON.stringify(out.data));
      check(!JSON.stringify(out).includes("sk-"), "rotate-root returned a key");
      check(!(await keyExists(mock.url, masterKey, admin.key)), "the old admin key still exists");
      const c = await readCreds(engine, "litellm/creds/dev");
      await cliOk(engine, ["lease", "revoke", c.lease_id]);
    },
  );
  await runner.step(
    s,
    "a static role binds an existing key and rotate-role rotates it",
    async () => {
      const existing = await mock.mint({ key_alias: "ci-pipeline", models: ["gpt-4o-mini"] });
      await cliOk(engine, ["write", "litellm/static-roles/ci", "key_alias=ci-pipeline"]);
      const first = JSON.parse(
        await cliOk(engine, ["read", "-format=json", "litellm/static-creds/ci"]),
      );
      check(
        first.data.key !== existing.key &&
          (await chat(mock.url, first.data.key, "gpt-4o-mini")) === 200,
        "bound key unusable",
      );
      await cliOk(engine, ["write", "-f", "litellm/rotate-role/ci"]);
      const second = JSON.parse(
        await cliOk(engine, ["read", "-format=json", "litellm/static-creds/ci"]),
      );
      check(second.data.key !== first.data.key, "rotate-role did not change the key");
      check(
        (await chat(mock.url, first.data.key, "gpt-4o-mini")) === 401,
        "the old static key still works",
      );
      check(
        (await chat(mock.url, second.data.key, "gpt-4o-mini")) === 200,
        "the new static key does not work",
      );
    },
  );
  await runner.step(s, "our log lines reach the engine log; the master key does not", async () => {
    const log = await Deno.readTextFile(engine.logPath);
    check(
      log.includes("@module=vault-plugin-secrets-litellm") && log.includes("issued key"),
      `no plugin log line in the engine log (${log.length} bytes read from ${engine.logPath})`,
    );
    check(!log.includes(masterKey), "the master key appears in the engine log");
    check(!log.includes(creds.data.key), "a generated key appears in the engine log");
  });
}
