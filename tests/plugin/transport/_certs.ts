/**
 * Throwaway certificates for transport tests, made with `openssl` like go-plugin's AutoMTLS
 * certificates: self-signed ECDSA, CA:TRUE, SAN DNS:localhost, EKU serverAuth + clientAuth.
 */
import type { TlsMaterial } from "../../../src/plugin/transport/mod.ts";

/** A PEM key pair. */
export interface TestCert {
  /** Certificate (PEM). */
  cert: string;
  /** Private key (PEM). */
  key: string;
}

/** Makes a self-signed certificate in a temporary directory that is removed afterwards. */
export async function makeTestCert(
  options: { curve?: string; name?: string } = {},
): Promise<TestCert> {
  const dir = await Deno.makeTempDir({ prefix: "transport-cert-" });
  const name = options.name ?? "localhost";
  try {
    const out = await new Deno.Command("openssl", {
      args: [
        ...["req", "-x509", "-newkey", "ec", "-pkeyopt"],
        `ec_paramgen_curve:${options.curve ?? "P-256"}`,
        ...["-nodes", "-days", "1", "-subj", `/CN=${name}`],
        ...["-keyout", `${dir}/key.pem`, "-out", `${dir}/cert.pem`],
        ...["-addext", `subjectAltName=DNS:${name}`],
        ...["-addext", "basicConstraints=critical,CA:TRUE"],
        ...["-addext", "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign"],
        ...["-addext", "extendedKeyUsage=serverAuth,clientAuth"],
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(`openssl failed: ${new TextDecoder().decode(out.stderr)}`);
    return {
      cert: await Deno.readTextFile(`${dir}/cert.pem`),
      key: await Deno.readTextFile(`${dir}/key.pem`),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Both sides of a go-plugin connection, plus an unrelated certificate nobody trusts. */
export interface TestPki {
  /** The server (plugin) certificate. */
  server: TestCert;
  /** The client (host) certificate, P-521 like go-plugin's. */
  client: TestCert;
  /** A valid certificate that neither side trusts. */
  stranger: TestCert;
  /** TLS material of the server: trusts exactly the client certificate. */
  serverTls: TlsMaterial;
  /** TLS material of the client: trusts exactly the server certificate. */
  clientTls: TlsMaterial;
}

let cached: Promise<TestPki> | undefined;

/** The test PKI, made once per test process. */
export function testPki(): Promise<TestPki> {
  cached ??= (async () => {
    const [server, client, stranger] = await Promise.all([
      makeTestCert(),
      makeTestCert({ curve: "P-521" }),
      makeTestCert(),
    ]);
    return {
      server,
      client,
      stranger,
      serverTls: { key: server.key, cert: server.cert, ca: client.cert },
      clientTls: { key: client.key, cert: client.cert, ca: server.cert },
    };
  })();
  return cached;
}

/** Writes the PKI as files (for openssl, curl and Node peers); returns their paths. */
export async function writePki(dir: string): Promise<Record<string, string>> {
  const pki = await testPki();
  const files: Record<string, string> = {};
  for (const [who, cert] of Object.entries({ server: pki.server, client: pki.client })) {
    files[`${who}Cert`] = `${dir}/${who}.crt`;
    files[`${who}Key`] = `${dir}/${who}.key`;
    await Deno.writeTextFile(files[`${who}Cert`], cert.cert);
    await Deno.writeTextFile(files[`${who}Key`], cert.key);
  }
  files.strangerCert = `${dir}/stranger.crt`;
  files.strangerKey = `${dir}/stranger.key`;
  await Deno.writeTextFile(files.strangerCert, pki.stranger.cert);
  await Deno.writeTextFile(files.strangerKey, pki.stranger.key);
  return files;
}
