import assert from "node:assert/strict";
import { keyHash, redactSecrets, sha256Hex } from "../../src/litellm/redact.ts";

Deno.test("redactSecrets removes credentials, their hashes, key shapes and echoed values", async (t) => {
  const cases: Array<[name: string, text: string, secrets: string[], want: string]> = [
    ["a key shape", "key sk-abcdef123 and sk-x_y-z9 end", [], "key sk-*** and sk-*** end"],
    ["a short sk- stays", "sk-ab is fine", [], "sk-ab is fine"],
    ["the credential itself", "token=hunter22 was wrong", ["hunter22"], "token=*** was wrong"],
    [
      "old LiteLLM's echo of a non-sk key",
      "LiteLLM Virtual Key expected. Received=my-plain-key, expected to start with 'sk-'.",
      [],
      "LiteLLM Virtual Key expected. Received=***, expected to start with 'sk-'.",
    ],
    [
      "the 401 of an unknown key",
      "Received API Key = sk-...abcd, Key Hash (Token) =0f0f. Unable",
      ["0f0f"],
      "Received API Key = ***, Key Hash (Token) =***. Unable",
    ],
    ["the longest secret first", "abcdefgh", ["abcd", "abcdefgh"], "***"],
    ["tiny secrets are ignored", "a b c", ["a", ""], "a b c"],
  ];
  for (const [name, text, secrets, want] of cases) {
    await t.step(name, () => assert.equal(redactSecrets(text, secrets), want));
  }
});

Deno.test("keyHash hashes plaintext sk- keys and passes hashes through, like LiteLLM", async () => {
  assert.equal(await keyHash("sk-1234"), await sha256Hex("sk-1234"));
  assert.equal(await keyHash("abc123"), "abc123");
  assert.match(await sha256Hex(""), /^e3b0c44298fc1c149afbf4c8996fb924/);
});
