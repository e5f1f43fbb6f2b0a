/**
 * `deno task gen`: parses proto/ and writes src/sdk/pb/_generated.ts, the protobuf descriptor our
 * codec loads at start (protobufjs reflection; see docs/protobuf.md). `--check` only compares and
 * exits 1 when the committed file is stale.
 *
 * @module
 */
import { GENERATED_PATH, generateDescriptorModule } from "./_proto_descriptor.ts";

if (import.meta.main) {
  const text = await generateDescriptorModule();
  if (Deno.args.includes("--check")) {
    const current = await Deno.readTextFile(GENERATED_PATH).catch(() => "");
    if (current !== text) {
      console.error(`${GENERATED_PATH} is stale: run "deno task gen"`);
      Deno.exit(1);
    }
    console.log(`${GENERATED_PATH} is up to date`);
  } else {
    await Deno.writeTextFile(GENERATED_PATH, text);
    console.log(`wrote ${GENERATED_PATH}`);
  }
}
