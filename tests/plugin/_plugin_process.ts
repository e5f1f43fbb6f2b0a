/**
 * Runs tests/fixtures/echo_plugin.ts as an engine would: a separate process with a clean
 * environment, the permissions of the real build (scripts/_plugin_flags.sh), stdout and stderr
 * read by the test, which plays the host.
 */
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { MAGIC_COOKIE_VALUE } from "../../src/plugin/handshake.ts";
import { GrpcClient } from "../../src/plugin/transport/mod.ts";
import type { TestCert } from "../_certs.ts";

const FIXTURE = fileURLToPath(new URL("../fixtures/echo_plugin.ts", import.meta.url));
const TMP = tmpdir();

/** The flags the build runs the plugin with. */
export const PLUGIN_FLAGS = [
  "--quiet",
  "--no-prompt",
  "--allow-net",
  "--allow-env",
  `--allow-read=${TMP}`,
  `--allow-write=${TMP}`,
  "--allow-sys=hostname,osRelease",
];

/** What any process needs to find deno's cache. */
export function baseEnv(): Record<string, string> {
  const env: Record<string, string> = { PATH: Deno.env.get("PATH") ?? "", TMPDIR: TMP };
  for (const name of ["HOME", "DENO_DIR"]) {
    const value = Deno.env.get(name);
    if (value) env[name] = value;
  }
  return env;
}

/** The environment go-plugin gives a v5 backend plugin. */
export function hostEnv(host: TestCert, extra: Record<string, string> = {}) {
  return {
    ...baseEnv(),
    VAULT_BACKEND_PLUGIN: MAGIC_COOKIE_VALUE,
    PLUGIN_PROTOCOL_VERSIONS: "5",
    PLUGIN_MIN_PORT: "10000",
    PLUGIN_MAX_PORT: "25000",
    PLUGIN_CLIENT_CERT: host.cert,
    ...extra,
  };
}

/** The command that runs the fixture. */
export function pluginCommand(args: string[] = []): string[] {
  return [Deno.execPath(), "run", ...PLUGIN_FLAGS, FIXTURE, ...args];
}

/** A running plugin process. */
export interface PluginProcess {
  child: Deno.ChildProcess;
  /** The first stdout line ("" if stdout closed first). */
  line: string;
  /** Everything on stdout after the first line, once the process is gone. */
  restOfStdout: Promise<string>;
  /** All of stderr, once the process is gone. */
  stderr: Promise<string>;
}

/** Starts the fixture and waits for its first stdout line (or its exit). */
export async function startPlugin(
  env: Record<string, string>,
  options: { args?: string[] } = {},
): Promise<PluginProcess> {
  const [command, ...args] = pluginCommand(options.args);
  const child = new Deno.Command(command, {
    args,
    env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  const restOfStdout = (async () => {
    let rest = text.slice(text.indexOf("\n") + 1);
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += r.value;
    return rest;
  })();
  return { child, line: text.split("\n")[0], restOfStdout, stderr };
}

/** The plugin certificate from a handshake line, as PEM. */
export function pluginCertPem(line: string): string {
  const raw = line.split("|")[5];
  const padded = raw + "=".repeat((4 - raw.length % 4) % 4);
  const body = padded.match(/.{1,64}/g)!.join("\n");
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

/** Connects to the plugin as the host does: host certificate, trusting only the plugin's. */
export function connectAsHost(line: string, host: TestCert): Promise<GrpcClient> {
  const [, , network, address] = line.split("|");
  const target = network === "unix" ? { path: address } : {
    host: address.slice(0, address.lastIndexOf(":")),
    port: Number(address.slice(address.lastIndexOf(":") + 1)),
  };
  return GrpcClient.connect(target, {
    tls: { key: host.key, cert: host.cert, ca: pluginCertPem(line) },
  });
}

/** Resolves with the exit code, or rejects after `ms`. */
export async function exitWithin(child: Deno.ChildProcess, ms: number): Promise<number> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the plugin did not exit within ${ms} ms`)), ms);
  });
  try {
    return (await Promise.race([child.status, late])).code;
  } finally {
    clearTimeout(timer);
  }
}
