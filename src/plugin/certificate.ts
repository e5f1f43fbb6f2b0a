/**
 * The plugin's TLS certificate for go-plugin's AutoMTLS (protocol.md §2.4): a fresh self-signed
 * ECDSA P-256 certificate per process, made with WebCrypto and our own DER encoding (no x509
 * package). The same certificate is our server certificate and our client certificate on
 * brokered connections, so it carries serverAuth and clientAuth, SAN DNS:localhost (Go checks
 * the SAN and ignores the CN) and CA:TRUE with keyCertSign, the profile of go-plugin's mtls.go.
 * go-plugin uses P-521; Go accepts any curve, and P-256 signs faster.
 *
 * @module
 */
import {
  bitString,
  boolean,
  explicit,
  implicitIa5,
  integer,
  octetString,
  oid,
  sequence,
  set,
  time,
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
const KEY_USAGE = "2.5.29.15";
const EXT_KEY_USAGE = "2.5.29.37";
const BASIC_CONSTRAINTS = "2.5.29.19";
const SUBJECT_ALT_NAME = "2.5.29.17";
const SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
const CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
/** go-plugin's NotAfter: now + 262 980 h (~30 years). */
const LIFETIME_MS = 262_980 * 3_600_000;
/** go-plugin's NotBefore: now - 30 s, for clocks a little behind ours. */
const BACKDATE_MS = 30_000;

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
      // Bits 0 (digitalSignature), 2 (keyEncipherment) and 5 (keyCertSign): 1010 0100, and the
      // two trailing zero bits are unused, as DER wants the shortest named-bit string.
      extension(KEY_USAGE, true, bitString(Uint8Array.of(0xa4), 2)),
      extension(EXT_KEY_USAGE, false, sequence(oid(SERVER_AUTH), oid(CLIENT_AUTH))),
      extension(BASIC_CONSTRAINTS, true, sequence(boolean(true))),
      extension(SUBJECT_ALT_NAME, false, sequence(implicitIa5(2, "localhost"))),
    ),
  );
}

/** WebCrypto's raw r||s signature (IEEE P1363) as the DER Ecdsa-Sig-Value X.509 wants. */
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
 * @param options.now The clock's "now" (tests pin it): the certificate is valid from 30 s before
 *   it until ~30 years after it. @default new Date()
 * @returns The certificate as PEM and DER, and its private key as PKCS#8 PEM.
 * @example
 * ```ts ignore
 * const { certPem, keyPem, certDer } = await generatePluginCertificate();
 * ```
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
  // 128 random bits like go-plugin, kept positive and 16 bytes long (RFC 5280 allows 20).
  const serial = crypto.getRandomValues(new Uint8Array(16));
  serial[0] = (serial[0] & 0x7f) | 0x01;
  // TBSCertificate (RFC 5280 §4.1): version v3 (2), serial, signature algorithm, issuer,
  // validity, subject (= issuer: self-signed), public key, extensions.
  const tbs = sequence(
    explicit(0, integer(Uint8Array.of(2))),
    integer(serial),
    ECDSA_WITH_SHA256,
    name(),
    sequence(
      time(new Date(now.getTime() - BACKDATE_MS)),
      time(new Date(now.getTime() + LIFETIME_MS)),
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
