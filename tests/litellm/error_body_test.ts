import assert from "node:assert/strict";
import { parseErrorBody, saysKeyNotFound } from "../../src/litellm/error_body.ts";

/** Bodies as LiteLLM (key_management_endpoints.py) and what sits in front of it answer. */
const BODIES = {
  deleteNothing:
    `{"error":{"message":"{'error': 'No keys found'}","type":"internal_server_error","param":"None","code":"404"}}`,
  infoUnknown:
    `{"error":{"message":"Key not found in database","type":"not_found_error","param":"key","code":"404"}}`,
  updateUnknown:
    `{"error":{"message":"{'error': 'Team not found, passed team_id=None'}","type":"auth_error","param":"None","code":"404"}}`,
  fastapiRoute: `{"detail":"Not Found"}`,
  fastapi422: `{"detail":[{"type":"missing","loc":["body","key"],"msg":"Field required"}]}`,
  html: "<html><body>404 page</body></html>",
  budget:
    `{"error":{"message":"Budget has been exceeded! Current cost: 2, Max budget: 2","type":"budget_exceeded","param":null,"code":"400"}}`,
};

Deno.test("parseErrorBody reads LiteLLM's envelope, FastAPI's detail and anything else", () => {
  assert.deepEqual(parseErrorBody(BODIES.infoUnknown), {
    message: "Key not found in database",
    type: "not_found_error",
    envelope: true,
  });
  assert.deepEqual(parseErrorBody(BODIES.fastapiRoute), { message: "Not Found", envelope: false });
  assert.match(parseErrorBody(BODIES.fastapi422).message, /Field required/);
  assert.deepEqual(parseErrorBody(BODIES.html), { message: BODIES.html, envelope: false });
  assert.deepEqual(parseErrorBody(""), { message: "no details", envelope: false });
  assert.equal(parseErrorBody(BODIES.budget).type, "budget_exceeded");
});

Deno.test("saysKeyNotFound trusts only LiteLLM's own 404s", async (t) => {
  const cases: Array<[string, number, string, boolean]> = [
    ["delete of nothing", 404, BODIES.deleteNothing, true],
    ["info of an unknown key", 404, BODIES.infoUnknown, true],
    ["update of an unknown key", 404, BODIES.updateUnknown, true],
    ["FastAPI unknown route (wrong base_url)", 404, BODIES.fastapiRoute, false],
    ["a reverse proxy's page", 404, BODIES.html, false],
    ["not found, but not a 404", 400, BODIES.infoUnknown, false],
  ];
  for (const [name, status, body, want] of cases) {
    await t.step(name, () => assert.equal(saysKeyNotFound(status, parseErrorBody(body)), want));
  }
});
