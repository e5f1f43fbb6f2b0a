/**
 * Entry point: serves the LiteLLM secrets engine as a Vault/OpenBao plugin.
 *
 * @module
 */
import { serve } from "./plugin/serve.ts";
import { factory } from "./litellm/backend.ts";
import { VERSION } from "./version.ts";

await serve(factory, { name: "vault-plugin-secrets-litellm", version: VERSION });
