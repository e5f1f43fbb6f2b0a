import assert from "node:assert/strict";
import { watchParent } from "../../src/plugin/parent_watch.ts";

Deno.test("watchParent calls onGone once when the parent pid changes", async () => {
  let ppid = 100;
  let calls = 0;
  const stop = watchParent(() => calls++, { intervalMs: 5, ppid: () => ppid });
  try {
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(calls, 0);
    ppid = 1;
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(calls, 1);
    ppid = 2;
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(calls, 1);
  } finally {
    stop();
  }
});

Deno.test("watchParent's stop ends the watch", async () => {
  let ppid = 100;
  let calls = 0;
  const stop = watchParent(() => calls++, { intervalMs: 5, ppid: () => ppid });
  stop();
  ppid = 1;
  await new Promise((resolve) => setTimeout(resolve, 30));
  assert.equal(calls, 0);
});
