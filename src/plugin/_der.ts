/**
 * The little DER (X.690) our certificate needs: tag-length-value, integers, OIDs, strings and
 * times. Internal to src/plugin.
 *
 * @module
 */

/** Encodes one TLV with `tag` around `content`. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  const length = content.reduce((n, c) => n + c.length, 0);
  let header: number[];
  if (length < 0x80) header = [tag, length];
  else {
    const bytes: number[] = [];
    for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
    header = [tag, 0x80 | bytes.length, ...bytes];
  }
  const out = new Uint8Array(header.length + length);
  out.set(header);
  let offset = header.length;
  for (const c of content) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}

/** SEQUENCE. */
export const sequence = (...items: Uint8Array[]) => tlv(0x30, ...items);
/** SET. */
export const set = (...items: Uint8Array[]) => tlv(0x31, ...items);
/** Context-specific constructed tag [n] (EXPLICIT). */
export const explicit = (n: number, ...items: Uint8Array[]) => tlv(0xa0 | n, ...items);

/** INTEGER from unsigned big-endian bytes (adds the sign byte, strips leading zeros). */
export function integer(bytes: Uint8Array): Uint8Array {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  const trimmed = bytes.subarray(start);
  return trimmed[0] & 0x80 ? tlv(0x02, Uint8Array.of(0), trimmed) : tlv(0x02, trimmed);
}

/** OBJECT IDENTIFIER from dotted text. */
export function oid(dotted: string): Uint8Array {
  const parts = dotted.split(".").map(Number);
  const out = [parts[0] * 40 + parts[1]];
  for (const part of parts.slice(2)) {
    const chunk: number[] = [part & 0x7f];
    for (let n = Math.floor(part / 128); n > 0; n = Math.floor(n / 128)) {
      chunk.unshift(0x80 | (n & 0x7f));
    }
    out.push(...chunk);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/** UTF8String. */
export const utf8 = (text: string) => tlv(0x0c, new TextEncoder().encode(text));
/** BOOLEAN. */
export const boolean = (value: boolean) => tlv(0x01, Uint8Array.of(value ? 0xff : 0));
/** OCTET STRING. */
export const octetString = (bytes: Uint8Array) => tlv(0x04, bytes);
/** BIT STRING with `unusedBits` in the last byte. */
export const bitString = (bytes: Uint8Array, unusedBits = 0) =>
  tlv(0x03, Uint8Array.of(unusedBits), bytes);

/** UTCTime before 2050, GeneralizedTime from 2050 on (RFC 5280 §4.1.2.5). */
export function time(date: Date): Uint8Array {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, "") + "Z";
  const year = date.getUTCFullYear();
  const text = year < 2050 ? digits.slice(2) : digits;
  return tlv(year < 2050 ? 0x17 : 0x18, new TextEncoder().encode(text));
}
