import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import * as tls from "node:tls";
import type { AddressInfo } from "node:net";
import { generatePluginCertificate } from "../../src/plugin/certificate.ts";

async function openssl(args: string[]): Promise<{ code: number; text: string }> {
  const out = await new Deno.Command("openssl", { args, stdout: "piped", stderr: "piped" })
    .output();
  const decoder = new TextDecoder();
  return { code: out.code, text: decoder.decode(out.stdout) + decoder.decode(out.stderr) };
}

Deno.test("generatePluginCertificate makes a certificate openssl reads with go-plugin's profile", async () => {
  const cert = await generatePluginCertificate();
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/c.pem`, cert.certPem);
    const { code, text } = await openssl(["x509", "-in", `${dir}/c.pem`, "-noout", "-text"]);
    assert.equal(code, 0, text);
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /NIST CURVE: P-256/);
    assert.match(text, /Issuer: O\s*=\s*HashiCorp, CN\s*=\s*localhost/);
    assert.match(text, /Subject: O\s*=\s*HashiCorp, CN\s*=\s*localhost/);
    assert.match(
      text,
      /Key Usage: critical\s+Digital Signature, Key Encipherment, Certificate Sign\n/,
    );
    assert.match(
      text,
      /Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/,
    );
    assert.match(text, /Basic Constraints: critical\s+CA:TRUE/);
    assert.match(text, /Subject Alternative Name:\s+DNS:localhost\n/);
    const verify = await openssl(["verify", "-CAfile", `${dir}/c.pem`, `${dir}/c.pem`]);
    assert.equal(verify.code, 0, `the self-signature does not verify: ${verify.text}`);
    await Deno.writeTextFile(`${dir}/k.pem`, cert.keyPem);
    const key = await openssl(["pkey", "-in", `${dir}/k.pem`, "-noout", "-text"]);
    assert.equal(key.code, 0, key.text);
    assert.match(key.text, /NIST CURVE: P-256/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("generatePluginCertificate validity runs from 30 s before now for about 30 years", async () => {
  const now = new Date("2031-05-06T07:08:09.500Z");
  const cert = await generatePluginCertificate({ now });
  const x509 = new X509Certificate(cert.certPem);
  assert.equal(new Date(x509.validFrom).toISOString(), "2031-05-06T07:07:39.000Z");
  // 262 980 h later lies past 2050, so this end is encoded as GeneralizedTime.
  assert.equal(new Date(x509.validTo).toISOString(), "2061-05-05T19:08:09.000Z");
  assert.equal(x509.subjectAltName, "DNS:localhost");
  assert.equal(x509.ca, true);
  assert.equal(x509.checkHost("localhost"), "localhost");
  assert.ok(x509.verify(x509.publicKey), "node does not verify the self-signature");
  assert.deepEqual(new Uint8Array(x509.raw), cert.certDer);
  assert.match(cert.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
});

Deno.test("generatePluginCertificate makes a different key and serial every time", async () => {
  const [a, b] = await Promise.all([generatePluginCertificate(), generatePluginCertificate()]);
  const serialA = new X509Certificate(a.certPem).serialNumber;
  assert.notEqual(serialA, new X509Certificate(b.certPem).serialNumber);
  // 16 bytes, the first one from 0x01 to 0x7f: node prints 31 or 32 hex digits.
  assert.ok(serialA.length >= 31, `the serial ${serialA} is shorter than 16 bytes`);
  assert.notEqual(a.keyPem, b.keyPem);
});

Deno.test("generatePluginCertificate works for mutual TLS as server and client certificate", async () => {
  const [server, client] = await Promise.all([
    generatePluginCertificate(),
    generatePluginCertificate(),
  ]);
  const listener = tls.createServer({
    key: server.keyPem,
    cert: server.certPem,
    ca: [client.certPem],
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: "TLSv1.2",
  }, (socket) => socket.end("hello"));
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  try {
    const port = (listener.address() as AddressInfo).port;
    const received = await new Promise<string>((resolve, reject) => {
      const socket = tls.connect({
        host: "127.0.0.1",
        port,
        servername: "localhost",
        key: client.keyPem,
        cert: client.certPem,
        ca: [server.certPem],
        rejectUnauthorized: true,
      });
      let text = "";
      socket.on("data", (chunk) => text += chunk);
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    assert.equal(received, "hello");
  } finally {
    await new Promise((resolve) => listener.close(resolve));
  }
});
