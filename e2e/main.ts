/**
 * `deno task e2e`: the whole lifecycle of the plugin on real engines (ENGINES="openbao vault"),
 * with the `make build` artifact registered by sha256 as an operator would, against the mock
 * LiteLLM. One line per step, a summary at the end; every process started is stopped, also on
 * failure and Ctrl-C.
 *
 * @module
 */
import { StepRunner } from "./_runner.ts";
import { lifecycleSuite } from "./lifecycle.ts";
import { faultSuite } from "./faults.ts";
import { loadArtifact } from "./_artifact.ts";

const KNOWN_ENGINES = ["openbao", "vault"] as const;
type EngineKind = typeof KNOWN_ENGINES[number];

function enginesFromEnv(): EngineKind[] {
  const raw = (Deno.env.get("ENGINES") ?? "openbao vault").split(/[\s,]+/).filter(Boolean);
  for (const name of raw) {
    if (!(KNOWN_ENGINES as readonly string[]).includes(name)) {
      throw new Error(`Unknown engine "${name}" in ENGINES: expected one of ${KNOWN_ENGINES}`);
    }
  }
  return raw as EngineKind[];
}

async function main(): Promise<number> {
  const engines = enginesFromEnv();
  // E2E_SUITES="lifecycle faults" by default; `make faults` runs only the fault suite.
  const wanted = (Deno.env.get("E2E_SUITES") ?? "lifecycle faults").split(/\s+/);
  const suites = [
    ...(wanted.includes("lifecycle") ? [lifecycleSuite] : []),
    ...(wanted.includes("faults") ? [faultSuite] : []),
  ];
  const artifact = await loadArtifact();
  console.log(`e2e: plugin artifact ${artifact.path}`);
  console.log(
    `e2e: artifact kind: ${artifact.kind.toUpperCase()}` +
      (artifact.kind === "launcher"
        ? " (deno compile could not run here; the compiled path was NOT tested)"
        : " (compiled with deno compile)"),
  );
  console.log(`e2e: engines: ${engines.join(", ")}\n`);

  const runner = new StepRunner();
  const stop = () => {
    console.log("\ne2e: interrupted, stopping everything");
    runner.cleanup().finally(() => Deno.exit(130));
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  try {
    for (const kind of engines) {
      for (const suite of suites) {
        try {
          await suite(runner, kind, artifact);
        } catch {
          // The failed step already printed itself; go on with the next suite.
        } finally {
          await runner.cleanup();
        }
      }
    }
  } finally {
    Deno.removeSignalListener("SIGINT", stop);
    Deno.removeSignalListener("SIGTERM", stop);
  }
  return runner.summary() === 0 ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main());
