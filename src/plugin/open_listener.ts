/**
 * Where the plugin listens (protocol.md §2.3, §8.22): a unix socket in a private directory of its
 * own, or TCP on 127.0.0.1 within the host's port range.
 *
 * @module
 */
import { tmpdir } from "node:os";
import type { Address } from "./transport/mod.ts";

/** How to listen. */
export type ListenPlan =
  | {
    network: "unix";
    /** Where to create our private directory (PLUGIN_UNIX_SOCKET_DIR). @default os.tmpdir() */
    parentDir?: string;
    /** Group (name or gid) that may connect (PLUGIN_UNIX_SOCKET_GROUP). */
    group?: string;
  }
  | {
    network: "tcp";
    /** Lowest port to try (PLUGIN_MIN_PORT); 0 with maxPort 0 means any free port. */
    minPort: number;
    /** Highest port to try (PLUGIN_MAX_PORT). */
    maxPort: number;
  };

/** A bound listener. */
export interface PluginListener {
  /** For the handshake line. */
  network: "unix" | "tcp";
  /** Socket path, or `127.0.0.1:PORT`. */
  address: string;
  /** Our private directory (unix only). */
  dir?: string;
  /** Removes the directory and socket (the server must be closed first). Never throws. */
  remove(): Promise<void>;
}

/** Something that can listen: a GrpcServer. */
export interface Listenable {
  /** Binds `address`; rejects when it cannot. */
  listen(address: Address): Promise<Address>;
}

/**
 * A unix socket path holds at most 108 bytes on Linux and 104 on macOS, the terminating NUL
 * included.
 */
const MAX_SOCKET_PATH = 103;

/**
 * Binds `server` as `plan` says.
 *
 * Unix: a new directory `plugin-XXXXXX` with mode 0700 holds the socket `plugin.sock`, so no other
 * user can even reach it; mutual TLS is the second lock. go-plugin puts its socket straight into
 * the temp dir; a directory of our own can be removed as a whole and its mode is not left to
 * the umask. With a group, the directory becomes 0710 and the socket 0660, both owned by the
 * group, as go-plugin's setGroupWritable does for the socket.
 *
 * TCP: 127.0.0.1 only, ports tried in order from a random point of the range, so plugins
 * starting together do not race for the same first port.
 *
 * @throws {Error} When nothing can be bound, the path is too long or the group is unknown.
 */
export async function openListener(server: Listenable, plan: ListenPlan): Promise<PluginListener> {
  if (plan.network === "tcp") return await listenTcp(server, plan.minPort, plan.maxPort);
  const parent = plan.parentDir ?? tmpdir();
  const dir = await Deno.makeTempDir({ dir: parent, prefix: "plugin-" });
  const remove = () => Deno.remove(dir, { recursive: true }).catch(() => {});
  try {
    await Deno.chmod(dir, 0o700);
    const path = `${dir}/plugin.sock`;
    const bytes = new TextEncoder().encode(path).length;
    if (bytes > MAX_SOCKET_PATH) {
      throw new Error(
        `Cannot listen on a unix socket in "${parent}" as the path is too long: ` +
          `${bytes} bytes, the limit is ${MAX_SOCKET_PATH}`,
      );
    }
    await server.listen({ path });
    if (plan.group) await shareWithGroup(dir, path, plan.group);
    return { network: "unix", address: path, dir, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

async function listenTcp(server: Listenable, min: number, max: number): Promise<PluginListener> {
  const count = max - min + 1;
  const start = Math.floor(Math.random() * count);
  let lastError: unknown;
  for (let i = 0; i < count; i++) {
    const port = min + (start + i) % count;
    try {
      const bound = await server.listen({ host: "127.0.0.1", port });
      const address = `127.0.0.1:${"port" in bound ? bound.port : port}`;
      return { network: "tcp", address, remove: async () => {} };
    } catch (error) {
      lastError = error;
    }
  }
  throw new Error(`Cannot bind a TCP port on 127.0.0.1 from ${min} to ${max}`, {
    cause: lastError,
  });
}

async function shareWithGroup(dir: string, socket: string, group: string): Promise<void> {
  const gid = await resolveGroup(group);
  for (const [path, mode] of [[dir, 0o710], [socket, 0o660]] as const) {
    await Deno.chown(path, null, gid);
    await Deno.chmod(path, mode);
  }
}

/** A gid from a number or a group name (looked up in /etc/group, as we may not run programs). */
async function resolveGroup(group: string): Promise<number> {
  if (/^\d+$/.test(group)) return Number(group);
  const text = await Deno.readTextFile("/etc/group").catch((error) => {
    throw new Error(`Cannot look up PLUGIN_UNIX_SOCKET_GROUP "${group}": ${error.message}`);
  });
  for (const line of text.split("\n")) {
    const [name, , gid] = line.split(":");
    if (name === group && /^\d+$/.test(gid ?? "")) return Number(gid);
  }
  throw new Error(`Cannot find PLUGIN_UNIX_SOCKET_GROUP "${group}" in /etc/group`);
}
