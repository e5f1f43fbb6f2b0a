import assert from "node:assert/strict";
import { GENERATED_PATH, generateDescriptorModule } from "../../../scripts/_proto_descriptor.ts";

Deno.test("src/sdk/pb/_generated.ts matches proto/ (run `deno task gen` when this fails)", async () => {
  const committed = await Deno.readTextFile(GENERATED_PATH);
  assert.equal(
    committed,
    await generateDescriptorModule(),
    `${GENERATED_PATH} is stale: run "deno task gen"`,
  );
});
