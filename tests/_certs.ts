/**
 * Throwaway certificates for tests, made with openssl like go-plugin's: self-signed ECDSA, CA:TRUE,
 * SAN DNS:localhost, EKU serverAuth + clientAuth.
 */

/** A PEM key pair. */
export interface TestCert {
  /** Certificate (PEM). */
  cert: string;
  /** Private key (PEM). */
  key: string;
}

/** Makes a self-signed certificate with `openssl` (curve P-256 unless told otherwise). */
export async function makeTestCert(options: { curve?: string } = {}): Promise<TestCert> {
  const dir = await Deno.makeTempDir({ prefix: "testcert-" });
  try {
    const out = await new Deno.Command("openssl", {
      args: [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        `ec_paramgen_curve:${options.curve ?? "P-256"}`,
        "-nodes",
        "-keyout",
        `${dir}/key.pem`,
        "-out",
        `${dir}/cert.pem`,
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign",
        "-addext",
        "extendedKeyUsage=serverAuth,clientAuth",
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
    return {
      cert: await Deno.readTextFile(`${dir}/cert.pem`),
      key: await Deno.readTextFile(`${dir}/key.pem`),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
