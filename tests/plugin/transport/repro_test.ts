/**
 * The crash our transport exists for (denoland/deno#36788), as a scenario run in separate
 * processes by tests/fixtures/grpc_js_deno_goaway_repro.sh: a Deno process serves (or calls)
 * 1000 sequential calls per connection, and a grpc-js peer on Node closes each connection with
 * GOAWAY. Our transport must survive it in both roles. The same scenario with grpc-js on Deno's
 * node:http2 aborts the Deno process; that half is opt-in (TRANSPORT_REPRO=1), as it is meant
 * to crash and takes a while.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(
  new URL("../../fixtures/grpc_js_deno_goaway_repro.sh", import.meta.url),
);

async function scenario(role: "server" | "client", impl: "ours" | "grpc-js"): Promise<string> {
  const out = await new Deno.Command("bash", {
    args: [SCRIPT, Deno.execPath(), "3", "1000", role, impl],
    stdout: "piped",
    stderr: "piped",
  }).output();
  return new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
}

for (const role of ["server", "client"] as const) {
  Deno.test(`our transport as Deno ${role} survives grpc-js GOAWAY after 3 x 1000 calls`, async () => {
    assert.match(await scenario(role, "ours"), /^survived: /m);
  });

  Deno.test({
    name: `grpc-js as Deno ${role} dies on the same GOAWAY (TRANSPORT_REPRO=1)`,
    ignore: Deno.env.get("TRANSPORT_REPRO") !== "1",
    async fn() {
      // If this starts to fail, Deno fixed #36788: update docs/transport.md.
      assert.match(await scenario(role, "grpc-js"), /^DIED: /m);
    },
  });
}
