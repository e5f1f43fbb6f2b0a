/** A LiteLLM engine over in-memory storage, configured against a fresh mock LiteLLM. */
import { litellmBackend } from "../../src/litellm/backend.ts";
import { type MockLiteLLM, startMockLiteLLM } from "../mock_litellm.ts";
import { newTestBackend, request, type TestBackend } from "../_helpers.ts";

/** The master key of every test mock. */
export const MASTER_KEY = "sk-master-test-0123456789abcdef";

/** An engine under test and its mock LiteLLM. */
export interface EngineUnderTest extends TestBackend {
  mock: MockLiteLLM;
  now: { value: Date };
}

/** Starts a mock and an engine; configures it (and a "dev" role) unless told not to. */
export async function newEngine(
  options: { configure?: boolean; role?: boolean } = {},
): Promise<EngineUnderTest> {
  const mock = await startMockLiteLLM({ masterKey: MASTER_KEY });
  const now = { value: new Date() };
  const t = await newTestBackend((config) =>
    litellmBackend(config, {
      clientOptions: { backoffMs: 1, timeoutMs: 2000 },
      clock: () => now.value,
    })
  );
  const engine = { ...t, mock, now };
  if (options.configure !== false) {
    await request(engine, "update", "config", { base_url: mock.url, master_key: MASTER_KEY });
    if (options.role !== false) {
      await request(engine, "update", "roles/dev", {
        models: "gpt-4o-mini",
        max_budget: 5,
        ttl: "1h",
        max_ttl: "2h",
      });
    }
  }
  return engine;
}

/** Options every engine test uses (the mock's server outlives single ops). */
export const TEST_OPTIONS = { sanitizeOps: false, sanitizeResources: false };
