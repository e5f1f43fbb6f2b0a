/**
 * The little DER (ITU-T X.690) our certificate needs: tag-length-value, integers, object
 * identifiers, strings and times. Every function returns one complete encoding, so a structure
 * reads like its ASN.1 definition. Internal to src/plugin.
 *
 * @module
 */

const encoder = new TextEncoder();

/** Encodes one TLV: `tag`, the definite length of `content`, then the content itself. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const length = content.reduce((n, c) => n + c.length, 0);
  const header = [tag, ...lengthOctets(length)];
  const out = new Uint8Array(header.length + length);
  out.set(header);
  let offset = header.length;
  for (const c of content) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** Short form below 128, else long form: 0x80 | count, then the length big-endian (X.690 §8.1.3). */
function lengthOctets(length: number): number[] {
  if (length < 0x80) return [length];
  const bytes: number[] = [];
  for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/** SEQUENCE of already encoded items. */
export function sequence(...items: Uint8Array[]): Uint8Array {
  return tlv(0x30, ...items);
}

/** SET of already encoded items (the caller keeps DER order; our sets have one item). */
export function set(...items: Uint8Array[]): Uint8Array {
  return tlv(0x31, ...items);
}

/** Context-specific constructed tag `[n]` (EXPLICIT tagging). */
export function explicit(n: number, ...items: Uint8Array[]): Uint8Array {
  return tlv(0xa0 | n, ...items);
}

/**
 * INTEGER from unsigned big-endian bytes: strips leading zero bytes and adds one back when the
 * top bit is set, since DER integers are two's complement and must be minimal.
 */
export function integer(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  if (trimmed.length === 0) return tlv(0x02, Uint8Array.of(0));
  return trimmed[0] & 0x80 ? tlv(0x02, Uint8Array.of(0), trimmed) : tlv(0x02, trimmed);
}

/**
 * OBJECT IDENTIFIER from dotted text: the first two arcs share one subidentifier (40 * a + b),
 * each subidentifier is base-128 with the high bit on all but its last byte (X.690 §8.19).
 *
 * @throws {Error} When `dotted` is not at least two non-negative integer arcs.
 */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split(".").map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0) || arcs[0] > 2) {
    throw new Error(`Cannot encode object identifier: "${dotted}" is not a valid OID`);
  }
  const out: number[] = [];
  for (const sub of [arcs[0] * 40 + arcs[1], ...arcs.slice(2)]) {
    const chunk = [sub & 0x7f];
    for (let n = Math.floor(sub / 128); n > 0; n = Math.floor(n / 128)) {
      chunk.unshift(0x80 | (n & 0x7f));
    }
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** UTF8String. */
export function utf8(text: string): Uint8Array {
  return tlv(0x0c, encoder.encode(text));
}

/** IA5String bytes under an IMPLICIT context tag `[n]`, as GeneralName's dNSName ([2]) uses. */
export function implicitIa5(n: number, text: string): Uint8Array {
  return tlv(0x80 | n, encoder.encode(text));
}

/** BOOLEAN (DER: true is 0xff). */
export function boolean(value: boolean): Uint8Array {
  return tlv(0x01, Uint8Array.of(value ? 0xff : 0));
}

/** OCTET STRING. */
export function octetString(bytes: Uint8Array): Uint8Array {
  return tlv(0x04, bytes);
}

/** BIT STRING: a leading byte counts the unused bits at the end of the last content byte. */
export function bitString(bytes: Uint8Array, unusedBits = 0): Uint8Array {
  return tlv(0x03, Uint8Array.of(unusedBits), bytes);
}

/**
 * A certificate validity time: UTCTime (YYMMDDHHMMSSZ) before 2050, GeneralizedTime
 * (YYYYMMDDHHMMSSZ) from 2050 on, whole seconds, as RFC 5280 §4.1.2.5 requires.
 */
export function time(date: Date): Uint8Array {
  const digits = date.toISOString().slice(0, 19).replace(/[-:T]/g, "") + "Z";
  const year = date.getUTCFullYear();
  return year < 2050
    ? tlv(0x17, encoder.encode(digits.slice(2)))
    : tlv(0x18, encoder.encode(digits));
}
