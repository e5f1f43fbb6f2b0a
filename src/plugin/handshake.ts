/**
 * go-plugin's start-up contract (protocol.md §1-2): what the host's environment says, and the one
 * handshake line we print on stdout once we listen. Pure: the caller passes the environment in.
 *
 * About `PLUGIN_MULTIPLEX_GRPC` (protocol.md §4.3): a host sets it only to ask for go-plugin's
 * multiplexed broker, which runs every connection as a yamux stream over the one socket the plugin
 * listens on. Vault sets it only for container (OCI image) plugins, whose sandbox cannot reach the
 * sockets the host listens on for the broker (sdk/helper/pluginutil/run_config.go: the
 * `image != ""` branch sets GRPCBrokerMultiplex); OpenBao never sets it. A plugin run as a binary,
 * which is how this one runs, always gets the normal broker: the host listens on one unix socket
 * per broker id and we dial it. So we do not implement yamux. When the variable is set anyway we
 * answer `|false`, and the host stops at once with "client requested gRPC broker multiplexing but
 * plugin does not support the feature" instead of waiting for connections that never come.
 *
 * @module
 */
import { X509Certificate } from "node:crypto";

/** The backend plugin magic cookie (Vault and OpenBao use the same key). */
export const MAGIC_COOKIE_KEY = "VAULT_BACKEND_PLUGIN";
/** Its value. */
export const MAGIC_COOKIE_VALUE = "6669da05-b1c8-4f49-97d9-c8e5bed98e20";
/** The database plugin cookie a host sets when it probes a plugin registered without a type. */
export const DATABASE_COOKIE_KEY = "VAULT_DATABASE_PLUGIN";
/** go-plugin's core protocol version. */
export const CORE_PROTOCOL_VERSION = 1;
/** The backend protocol version we speak (v5: AutoMTLS, gRPC). */
export const APP_PROTOCOL_VERSION = 5;

/** What the host asked for. */
export interface HostEnvironment {
  /** PEM certificate of the host (AutoMTLS): the only client we accept, the only server we trust. */
  hostCertPem: string;
  /**
   * Versions the host accepts (PLUGIN_PROTOCOL_VERSIONS). We answer 5 even when it is missing,
   * as go-plugin does, so the host reports the mismatch in its own words.
   */
  protocolVersions: number[];
  /** Whether PLUGIN_MULTIPLEX_GRPC was set at all (we then append `|false`; see the module notes). */
  multiplexGrpcRequested: boolean;
  /** Directory for our socket (PLUGIN_UNIX_SOCKET_DIR), if the host chose one. */
  socketDir?: string;
  /** Group name or gid to own our socket (PLUGIN_UNIX_SOCKET_GROUP), if any. */
  socketGroup?: string;
  /**
   * TCP ports we may listen on (PLUGIN_MIN_PORT..PLUGIN_MAX_PORT, both inclusive); 0..0 when the
   * host set neither, which means any free port.
   */
  portRange: { min: number; max: number };
}

/** Why we must not serve this environment. */
export type EnvironmentProblem =
  | { kind: "not-a-host" }
  | { kind: "database-probe" }
  | { kind: "invalid"; message: string };

/**
 * Reads the host's environment.
 *
 * @returns The host's requests, or the reason not to serve: no cookie (a person ran us), the
 *   database cookie (a host probing for a database plugin), or an unusable value.
 */
export function readHostEnvironment(
  env: Record<string, string | undefined>,
): HostEnvironment | EnvironmentProblem {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    return env[DATABASE_COOKIE_KEY] ? { kind: "database-probe" } : { kind: "not-a-host" };
  }
  const hostCertPem = env["PLUGIN_CLIENT_CERT"] ?? "";
  const certProblem = checkHostCert(hostCertPem);
  if (certProblem) return { kind: "invalid", message: certProblem };
  const min = readPort(env, "PLUGIN_MIN_PORT");
  const max = readPort(env, "PLUGIN_MAX_PORT");
  if (typeof min === "string") return { kind: "invalid", message: min };
  if (typeof max === "string") return { kind: "invalid", message: max };
  if (min > max) {
    return {
      kind: "invalid",
      message: `PLUGIN_MIN_PORT must not exceed PLUGIN_MAX_PORT: min is ${min}, max is ${max}`,
    };
  }
  return {
    hostCertPem,
    protocolVersions: (env["PLUGIN_PROTOCOL_VERSIONS"] ?? "")
      .split(",")
      .map((v) => v.trim())
      .filter((v) => /^\d+$/.test(v))
      .map(Number),
    multiplexGrpcRequested: (env["PLUGIN_MULTIPLEX_GRPC"] ?? "") !== "",
    socketDir: env["PLUGIN_UNIX_SOCKET_DIR"] || undefined,
    socketGroup: env["PLUGIN_UNIX_SOCKET_GROUP"] || undefined,
    portRange: { min, max },
  };
}

function checkHostCert(pem: string): string | undefined {
  if (pem === "") {
    return "PLUGIN_CLIENT_CERT is not set: this plugin speaks protocol 5 with AutoMTLS only, " +
      "so the host must pass its certificate";
  }
  try {
    new X509Certificate(pem);
    return undefined;
  } catch (error) {
    return `PLUGIN_CLIENT_CERT is not a PEM certificate: ${(error as Error).message}`;
  }
}

function readPort(env: Record<string, string | undefined>, name: string): number | string {
  const text = (env[name] ?? "").trim();
  if (text === "") return 0;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    return `${name} must be a port number from 0 to 65535: it is "${text}"`;
  }
  return port;
}

/** Standard base64 without `=` padding (Go's base64.RawStdEncoding). */
export function rawBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/=+$/, "");
}

/**
 * Formats the handshake line, newline included:
 * `1|5|NETWORK|ADDRESS|grpc|CERT[|false]`, where CERT is our certificate's DER in unpadded
 * standard base64 and `|false` is appended only when the host set PLUGIN_MULTIPLEX_GRPC (older
 * hosts split the line into at most six fields and would glue a seventh onto the certificate).
 *
 * @example
 * ```ts ignore
 * handshakeLine({ network: "unix", address: "/tmp/plugin-x/plugin.sock" }, certDer, host);
 * // "1|5|unix|/tmp/plugin-x/plugin.sock|grpc|MIIB...\n"
 * ```
 */
export function handshakeLine(
  address: { network: "unix" | "tcp"; address: string },
  certDer: Uint8Array,
  host: Pick<HostEnvironment, "multiplexGrpcRequested">,
): string {
  const fields = [
    String(CORE_PROTOCOL_VERSION),
    String(APP_PROTOCOL_VERSION),
    address.network,
    address.address,
    "grpc",
    rawBase64(certDer),
  ];
  if (host.multiplexGrpcRequested) fields.push("false");
  return fields.join("|") + "\n";
}
