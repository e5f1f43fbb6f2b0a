/**
 * `make demo`: real OpenBao in dev mode, the mock LiteLLM and our plugin; runs and prints each
 * operator command with its output, then stops everything it started. With `--keep-running`
 * (`make dev`) it leaves the stack up and prints how to use it until Ctrl-C.
 *
 * @module
 */
import { loadArtifact, preparePluginDir, REPO_ROOT } from "./_artifact.ts";
import { type Engine, registerPlugin, startEngine } from "./_engine.ts";
import { startMockLiteLLM } from "../tests/mock_litellm.ts";
import { keyGone, workDirFor } from "./_litellm.ts";

const keepRunning = Deno.args.includes("--keep-running");
const engineKind = (Deno.env.get("DEMO_ENGINE") ?? "openbao") as "openbao" | "vault";
const cliName = engineKind === "openbao" ? "bao" : "vault";

function banner(text: string): void {
  console.log(`\n\x1b[1m# ${text}\x1b[0m`);
}

async function run(engine: Engine, args: string[], options: { mask?: string } = {}) {
  const shown = args.map((
    a,
  ) => (options.mask && a.includes(options.mask) ? a.replace(options.mask, "sk-***") : a));
  console.log(`$ ${cliName} ${shown.join(" ")}`);
  const out = await engine.cli(args);
  const text = (out.stdout + out.stderr).trimEnd();
  if (text) console.log(text);
  if (out.code !== 0) throw new Error(`${cliName} ${args[0]} exited with ${out.code}`);
  return out.stdout;
}

async function chatCall(baseUrl: string, key: string, model: string): Promise<void> {
  console.log(
    `$ curl -s ${baseUrl}/chat/completions -H "Authorization: Bearer sk-…" -d '{"model":"${model}",...}'`,
  );
  const response = await fetch(`${baseUrl}/chat/completions`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ model, messages: [{ role: "user", content: "Say hello" }] }),
  });
  console.log(`HTTP ${response.status} ${await response.text()}`);
}

async function main(): Promise<void> {
  const cleanups: Array<() => Promise<void> | void> = [];
  const cleanup = async () => {
    while (cleanups.length) await Promise.resolve(cleanups.pop()!()).catch(() => {});
  };
  const onSignal = () => cleanup().finally(() => Deno.exit(130));
  Deno.addSignalListener("SIGINT", onSignal);
  try {
    const artifact = await loadArtifact();
    const workDir = await workDirFor(`${REPO_ROOT}/e2e/.work`, `demo-${engineKind}`);
    const masterKey = `sk-demo-${crypto.randomUUID().replaceAll("-", "").slice(0, 24)}`;
    banner(
      `Plugin: ${artifact.path} (${artifact.kind}${
        artifact.kind === "launcher" ? ": deno compile unavailable here" : ""
      })`,
    );
    const mock = await startMockLiteLLM({ masterKey });
    cleanups.push(() => mock.close());
    console.log(`mock LiteLLM at ${mock.url}`);
    const engine = await startEngine(engineKind, {
      pluginDir: await preparePluginDir(artifact, workDir),
      workDir,
    });
    cleanups.push(() => engine.stop());
    console.log(`${engineKind} dev server at ${engine.addr} (log: ${engine.logPath})`);

    banner("Register the plugin by its sha256 and enable it");
    console.log(
      `$ ${cliName} plugin register -sha256=${artifact.sha256} -command=${artifact.fileName} secret litellm`,
    );
    await registerPlugin(engine, {
      name: "litellm",
      file: artifact.fileName,
      sha256: artifact.sha256,
    });
    await run(engine, ["secrets", "enable", "-path=litellm", "litellm"]);

    banner("Point it at LiteLLM (the master key is write-only)");
    await run(engine, [
      "write",
      "litellm/config",
      `base_url=${mock.url}`,
      `master_key=${masterKey}`,
    ], { mask: masterKey });
    await run(engine, ["read", "litellm/config"]);

    banner("A role: which models, what budget, how long");
    await run(engine, [
      "write",
      "litellm/roles/demo",
      "models=gpt-4o-mini",
      "max_budget=1.5",
      "ttl=1h",
      "max_ttl=24h",
    ]);
    await run(engine, ["read", "litellm/roles/demo"]);

    banner("Ask for a key");
    const creds = JSON.parse(await run(engine, ["read", "-format=json", "litellm/creds/demo"]));
    const key: string = creds.data.key;

    banner("Use it: an allowed model, then one the role does not allow");
    await chatCall(mock.url, key, "gpt-4o-mini");
    await chatCall(mock.url, key, "gpt-4o");

    if (keepRunning) {
      banner("The stack is running. In another shell:");
      console.log(
        `export ${engineKind === "openbao" ? "BAO_ADDR" : "VAULT_ADDR"}=${engine.addr} ${
          engineKind === "openbao" ? "BAO_TOKEN" : "VAULT_TOKEN"
        }=root`,
      );
      console.log(`${cliName} read litellm/creds/demo`);
      console.log(`${cliName} lease revoke <lease_id>`);
      console.log(`LiteLLM (mock): ${mock.url}  master key: ${masterKey}`);
      console.log("Press Ctrl-C to stop everything.");
      await new Promise(() => {});
    }

    banner("Revoke the lease: the key is deleted at LiteLLM");
    await run(engine, ["lease", "revoke", creds.lease_id]);
    // The CLI may only queue the revocation: wait until LiteLLM has deleted the key.
    await keyGone(mock.url, masterKey, key);
    await chatCall(mock.url, key, "gpt-4o-mini");
    banner("Done: stopping everything the demo started");
  } finally {
    await cleanup();
    Deno.removeSignalListener("SIGINT", onSignal);
  }
}

if (import.meta.main) await main();
