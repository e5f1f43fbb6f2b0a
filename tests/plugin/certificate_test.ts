import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { generatePluginCertificate } from "../../src/plugin/certificate.ts";

Deno.test("generatePluginCertificate makes a self-signed P-256 certificate go-plugin accepts", async () => {
  const cert = await generatePluginCertificate();
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/c.pem`, cert.certPem);
    const text = new TextDecoder().decode(
      (await new Deno.Command("openssl", {
        args: ["x509", "-in", `${dir}/c.pem`, "-noout", "-text"],
      }).output()).stdout,
    );
    assert.match(text, /ecdsa-with-SHA256/);
    assert.match(text, /NIST CURVE: P-256/);
    assert.match(text, /DNS:localhost/);
    assert.match(text, /CA:TRUE/);
    assert.match(text, /TLS Web Server Authentication, TLS Web Client Authentication/);
    assert.match(text, /Digital Signature, Key Encipherment, Certificate Sign/);
    const verify = await new Deno.Command("openssl", {
      args: ["verify", "-CAfile", `${dir}/c.pem`, `${dir}/c.pem`],
    }).output();
    assert.equal(verify.code, 0, "the self-signature does not verify");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  const x509 = new X509Certificate(cert.certPem);
  assert.equal(x509.subjectAltName, "DNS:localhost");
  assert.ok(new Date(x509.validTo).getUTCFullYear() >= new Date().getUTCFullYear() + 29);
  assert.deepEqual(new Uint8Array(x509.raw), cert.certDer);
  assert.match(cert.keyPem, /^-----BEGIN PRIVATE KEY-----/);
});

Deno.test("generatePluginCertificate makes a different key and serial every time", async () => {
  const [a, b] = await Promise.all([generatePluginCertificate(), generatePluginCertificate()]);
  assert.notEqual(
    new X509Certificate(a.certPem).serialNumber,
    new X509Certificate(b.certPem).serialNumber,
  );
  assert.notEqual(a.keyPem, b.keyPem);
});
