/**
 * go-plugin's start-up contract (protocol.md §1-2): what the host's environment says, and the one
 * handshake line we print on stdout once we listen. Pure.
 *
 * @module
 */

/** The backend plugin magic cookie (Vault and OpenBao). */
export const MAGIC_COOKIE_KEY = "VAULT_BACKEND_PLUGIN";
/** Its value. */
export const MAGIC_COOKIE_VALUE = "6669da05-b1c8-4f49-97d9-c8e5bed98e20";
/** The database plugin cookie a host uses when it probes an untyped plugin. */
export const DATABASE_COOKIE_KEY = "VAULT_DATABASE_PLUGIN";
/** The backend protocol version we speak (AutoMTLS, gRPC). */
export const APP_PROTOCOL_VERSION = 5;

/** What the host asked for. */
export interface HostEnvironment {
  /** PEM certificate of the host (AutoMTLS): the only client we accept, the only server we trust. */
  hostCertPem: string;
  /** Protocol versions the host accepts. */
  protocolVersions: number[];
  /** Whether the host set PLUGIN_MULTIPLEX_GRPC (we then answer `|false`). */
  multiplexGrpcRequested: boolean;
  /** Directory for our socket (PLUGIN_UNIX_SOCKET_DIR), if the host chose one. */
  socketDir?: string;
  /** Group to own our socket (PLUGIN_UNIX_SOCKET_GROUP), if any. */
  socketGroup?: string;
}

/** Why we cannot serve this environment. */
export type EnvironmentProblem =
  | { kind: "not-a-host" }
  | { kind: "database-probe" }
  | { kind: "invalid"; message: string };

/** Reads the host's environment; returns a problem instead when we must not serve. */
export function readHostEnvironment(
  env: Record<string, string | undefined>,
): HostEnvironment | EnvironmentProblem {
  if (env[MAGIC_COOKIE_KEY] !== MAGIC_COOKIE_VALUE) {
    return env[DATABASE_COOKIE_KEY] ? { kind: "database-probe" } : { kind: "not-a-host" };
  }
  const protocolVersions = (env["PLUGIN_PROTOCOL_VERSIONS"] ?? "")
    .split(",")
    .map((v) => Number(v.trim()))
    .filter((v) => Number.isInteger(v) && v > 0);
  const hostCertPem = env["PLUGIN_CLIENT_CERT"] ?? "";
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/.test(hostCertPem)) {
    return {
      kind: "invalid",
      message:
        "PLUGIN_CLIENT_CERT is missing or not a PEM certificate: this plugin needs AutoMTLS (protocol 5)",
    };
  }
  return {
    hostCertPem,
    protocolVersions,
    multiplexGrpcRequested: (env["PLUGIN_MULTIPLEX_GRPC"] ?? "") !== "",
    socketDir: env["PLUGIN_UNIX_SOCKET_DIR"] || undefined,
    socketGroup: env["PLUGIN_UNIX_SOCKET_GROUP"] || undefined,
  };
}

/** Standard base64 without `=` padding (Go's RawStdEncoding). */
export function rawBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/=+$/, "");
}

/**
 * The handshake line: `1|5|unix|PATH|grpc|CERT` (+ `|false` when the host asked about broker
 * multiplexing, which only container plugins use and we do not implement).
 */
export function handshakeLine(
  address: { network: "unix" | "tcp"; address: string },
  certDer: Uint8Array,
  host: Pick<HostEnvironment, "multiplexGrpcRequested">,
): string {
  const fields = [
    "1",
    String(APP_PROTOCOL_VERSION),
    address.network,
    address.address,
    "grpc",
    rawBase64(certDer),
  ];
  if (host.multiplexGrpcRequested) fields.push("false");
  return fields.join("|") + "\n";
}
