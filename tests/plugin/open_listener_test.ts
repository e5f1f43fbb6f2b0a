import assert from "node:assert/strict";
import { openListener } from "../../src/plugin/open_listener.ts";
import type { Address } from "../../src/plugin/transport/mod.ts";

/** Records what it was asked to bind; refuses TCP ports in `busy`. */
function fakeServer(busy: Set<number> = new Set()) {
  const asked: Address[] = [];
  return {
    asked,
    async listen(address: Address): Promise<Address> {
      asked.push(address);
      if ("path" in address) {
        await Deno.writeTextFile(address.path, ""); // stands in for the socket file
        return address;
      }
      if (busy.has(address.port)) throw new Error("EADDRINUSE");
      return address.port === 0 ? { ...address, port: 43210 } : address;
    },
  };
}

Deno.test("openListener puts the unix socket in a new 0700 directory and removes it", async () => {
  const parent = await Deno.makeTempDir();
  try {
    const server = fakeServer();
    const listener = await openListener(server, { network: "unix", parentDir: parent });
    assert.equal(listener.network, "unix");
    assert.match(listener.address, new RegExp(`^${parent}/plugin-[^/]+/plugin\\.sock$`));
    assert.equal(listener.dir, listener.address.slice(0, listener.address.lastIndexOf("/")));
    assert.equal((await Deno.stat(listener.dir!)).mode! & 0o777, 0o700);
    assert.deepEqual(server.asked, [{ path: listener.address }]);
    await listener.remove();
    await assert.rejects(Deno.stat(listener.dir!), Deno.errors.NotFound);
    await listener.remove(); // twice is fine
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("openListener shares the socket with a group when the host names one", async () => {
  const parent = await Deno.makeTempDir();
  try {
    const gid = Deno.gid()!;
    const listener = await openListener(fakeServer(), {
      network: "unix",
      parentDir: parent,
      group: String(gid),
    });
    const dir = await Deno.stat(listener.dir!);
    const socket = await Deno.stat(listener.address);
    assert.equal(dir.mode! & 0o777, 0o710);
    assert.equal(socket.mode! & 0o777, 0o660);
    assert.equal(dir.gid, gid);
    await listener.remove();
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("openListener refuses an unknown group and leaves nothing behind", async () => {
  const parent = await Deno.makeTempDir();
  try {
    await assert.rejects(
      openListener(fakeServer(), {
        network: "unix",
        parentDir: parent,
        group: "no-such-group-here",
      }),
      /PLUGIN_UNIX_SOCKET_GROUP "no-such-group-here"/,
    );
    assert.deepEqual(await Array.fromAsync(Deno.readDir(parent)), []);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("openListener refuses a socket path longer than unix allows", async () => {
  const parent = await Deno.makeTempDir();
  const deep = `${parent}/${"d".repeat(100)}`;
  await Deno.mkdir(deep);
  try {
    const server = fakeServer();
    await assert.rejects(
      openListener(server, { network: "unix", parentDir: deep }),
      /the path is too long: \d+ bytes, the limit is 103/,
    );
    assert.deepEqual(server.asked, []);
    assert.deepEqual(await Array.fromAsync(Deno.readDir(deep)), []);
  } finally {
    await Deno.remove(parent, { recursive: true });
  }
});

Deno.test("openListener binds TCP on 127.0.0.1 inside the range, skipping busy ports", async () => {
  const server = fakeServer(new Set([10000, 10001, 10002]));
  const listener = await openListener(server, { network: "tcp", minPort: 10000, maxPort: 10003 });
  assert.equal(listener.address, "127.0.0.1:10003");
  assert.ok(server.asked.every((a) => "host" in a && a.host === "127.0.0.1"));
});

Deno.test("openListener takes any free port when the host gives no range", async () => {
  const listener = await openListener(fakeServer(), { network: "tcp", minPort: 0, maxPort: 0 });
  assert.equal(listener.address, "127.0.0.1:43210");
});

Deno.test("openListener fails clearly when every port is busy", async () => {
  await assert.rejects(
    openListener(fakeServer(new Set([20000, 20001])), {
      network: "tcp",
      minPort: 20000,
      maxPort: 20001,
    }),
    { message: "Cannot bind a TCP port on 127.0.0.1 from 20000 to 20001" },
  );
});
