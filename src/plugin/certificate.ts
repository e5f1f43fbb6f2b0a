/**
 * The plugin's TLS certificate for go-plugin's AutoMTLS: a fresh self-signed ECDSA P-256
 * certificate per process, made with WebCrypto and our own DER encoding. The same certificate is
 * our server certificate and our client certificate on brokered connections, so it carries
 * serverAuth and clientAuth, SAN DNS:localhost (Go ignores the CN) and CA:TRUE, as go-plugin's
 * own generateCert does.
 *
 * @module
 */
import {
  bitString,
  boolean,
  explicit,
  integer,
  octetString,
  oid,
  sequence,
  set,
  time,
  tlv,
  utf8,
} from "./_der.ts";

/** A certificate and its key. */
export interface PluginCertificate {
  /** Certificate, PEM. */
  certPem: string;
  /** PKCS#8 private key, PEM. */
  keyPem: string;
  /** Certificate, DER (what the handshake line carries). */
  certDer: Uint8Array;
}

const ECDSA_WITH_SHA256 = sequence(oid("1.2.840.10045.4.3.2"));

function name(): Uint8Array {
  return sequence(
    set(sequence(oid("2.5.4.10"), utf8("HashiCorp"))),
    set(sequence(oid("2.5.4.3"), utf8("localhost"))),
  );
}

function extension(id: string, critical: boolean, value: Uint8Array): Uint8Array {
  return critical
    ? sequence(oid(id), boolean(true), octetString(value))
    : sequence(oid(id), octetString(value));
}

function extensions(): Uint8Array {
  return explicit(
    3,
    sequence(
      // digitalSignature, keyEncipherment, keyCertSign
      extension("2.5.29.15", true, bitString(Uint8Array.of(0xa4), 2)),
      // serverAuth, clientAuth
      extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.1"), oid("1.3.6.1.5.5.7.3.2"))),
      extension("2.5.29.19", true, sequence(boolean(true))),
      extension("2.5.29.17", false, sequence(tlv(0x82, new TextEncoder().encode("localhost")))),
    ),
  );
}

/** WebCrypto's raw r||s signature as a DER Ecdsa-Sig-Value. */
function derSignature(raw: Uint8Array): Uint8Array {
  const half = raw.length / 2;
  return sequence(integer(raw.subarray(0, half)), integer(raw.subarray(half)));
}

function pem(label: string, der: Uint8Array): string {
  const b64 = btoa(String.fromCharCode(...der));
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----\n`;
}

/**
 * Generates a new key pair and self-signed certificate.
 *
 * @param options.now Start of validity (tests pin it); valid from 30 s before until ~30 years after.
 */
export async function generatePluginCertificate(
  options: { now?: Date } = {},
): Promise<PluginCertificate> {
  const keys = await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ]);
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", keys.publicKey));
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
  const now = options.now ?? new Date();
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0] & 0x7f) | 0x01;
  const tbs = sequence(
    explicit(0, integer(Uint8Array.of(2))),
    integer(serial),
    ECDSA_WITH_SHA256,
    name(),
    sequence(
      time(new Date(now.getTime() - 30_000)),
      time(new Date(now.getTime() + 262_980 * 3_600_000)),
    ),
    name(),
    spki,
    extensions(),
  );
  const raw = new Uint8Array(
    await crypto.subtle.sign(
      { name: "ECDSA", hash: "SHA-256" },
      keys.privateKey,
      tbs as Uint8Array<ArrayBuffer>,
    ),
  );
  const certDer = sequence(tbs, ECDSA_WITH_SHA256, bitString(derSignature(raw)));
  return { certPem: pem("CERTIFICATE", certDer), keyPem: pem("PRIVATE KEY", pkcs8), certDer };
}
