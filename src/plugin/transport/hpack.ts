/**
 * HPACK header compression (RFC 7541): the decoder takes every representation a peer may send
 * (indexed, literal with/without/never indexing, dynamic table size updates, Huffman strings);
 * the encoder indexes repeated fields in its own dynamic table and Huffman-codes strings where
 * that is shorter. One decoder and one encoder per connection and direction.
 *
 * @module
 */
import { HeaderTable } from "./hpack_table.ts";
import { huffmanDecode, huffmanEncode, huffmanEncodedLength, HuffmanError } from "./huffman.ts";

/** A header field: lower-case name and value. */
export type HeaderField = readonly [name: string, value: string];

/** A header block we cannot decode: a connection error COMPRESSION_ERROR (RFC 9113 §4.3). */
export class HpackError extends Error {
  /** @param message What is wrong with the block. */
  constructor(message: string) {
    super(message);
    this.name = "HpackError";
  }
}

/** The protocol's default SETTINGS_HEADER_TABLE_SIZE, and the most our encoder ever uses. */
export const DEFAULT_TABLE_SIZE = 4096;

const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** Reads an integer with an N-bit prefix (RFC 7541 §5.1); returns it and the next offset. */
export function decodeInteger(block: Uint8Array, offset: number, prefixBits: number): [
  number,
  number,
] {
  if (offset >= block.length) throw new HpackError("truncated integer");
  const max = (1 << prefixBits) - 1;
  let value = block[offset++] & max;
  if (value < max) return [value, offset];
  for (let shift = 0;; shift += 7) {
    if (offset >= block.length) throw new HpackError("truncated integer");
    const byte = block[offset++];
    value += (byte & 0x7f) * 2 ** shift;
    // Nothing in a header block needs more than 32 bits; longer ones are an attack or garbage.
    if (value > 0xffffffff || shift > 28) throw new HpackError("integer overflow");
    if ((byte & 0x80) === 0) return [value, offset];
  }
}

/** Appends an integer with an N-bit prefix; `flags` fills the bits above the prefix. */
export function encodeInteger(out: number[], value: number, prefixBits: number, flags: number) {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(flags | value);
    return;
  }
  out.push(flags | max);
  for (value -= max; value >= 128; value = Math.floor(value / 128)) out.push((value % 128) | 128);
  out.push(value);
}

function decodeString(block: Uint8Array, offset: number): [Uint8Array, number] {
  if (offset >= block.length) throw new HpackError("truncated string");
  const huffman = (block[offset] & 0x80) !== 0;
  const [length, start] = decodeInteger(block, offset, 7);
  if (start + length > block.length) throw new HpackError("truncated string");
  const raw = block.subarray(start, start + length);
  try {
    return [huffman ? huffmanDecode(raw) : raw, start + length];
  } catch (error) {
    if (error instanceof HuffmanError) throw new HpackError(error.message);
    throw error;
  }
}

function encodeString(out: number[], bytes: Uint8Array): void {
  const huffmanLength = huffmanEncodedLength(bytes);
  const huffman = huffmanLength <= bytes.length; // ties go to Huffman, as in RFC 7541 C.4
  encodeInteger(out, huffman ? huffmanLength : bytes.length, 7, huffman ? 0x80 : 0);
  for (const b of huffman ? huffmanEncode(bytes) : bytes) out.push(b);
}

/** Decodes the header blocks of one connection direction; keeps the peer's dynamic table. */
export class HpackDecoder {
  #table: HeaderTable;
  #limit: number;
  #maxListBytes: number;

  /**
   * @param maxTableSize Our SETTINGS_HEADER_TABLE_SIZE: the most the peer may make the table.
   * @param options.maxListBytes Largest decoded header list (names + values + 32 per field).
   */
  constructor(maxTableSize = DEFAULT_TABLE_SIZE, options: { maxListBytes?: number } = {}) {
    this.#table = new HeaderTable(maxTableSize);
    this.#limit = maxTableSize;
    this.#maxListBytes = options.maxListBytes ?? 1 << 20;
  }

  /** The peer's dynamic table as we hold it. */
  get table(): HeaderTable {
    return this.#table;
  }

  /**
   * Decodes one complete header block.
   *
   * @throws {HpackError} On any malformed input; the connection cannot continue after that, as
   *   the dynamic tables are then out of step.
   */
  decode(block: Uint8Array): HeaderField[] {
    const fields: HeaderField[] = [];
    let listBytes = 0;
    let offset = 0;
    while (offset < block.length) {
      const byte = block[offset];
      if ((byte & 0xe0) === 0x20) {
        // A size update is only allowed before the first field (RFC 7541 §4.2).
        if (fields.length > 0) throw new HpackError("table size update after a header field");
        const [size, next] = decodeInteger(block, offset, 5);
        if (size > this.#limit) throw new HpackError("table size update above our setting");
        this.#table.setMaxSize(size);
        offset = next;
        continue;
      }
      let field: HeaderField;
      let bytes: number;
      if (byte & 0x80) {
        const [index, next] = decodeInteger(block, offset, 7);
        const entry = this.#table.get(index);
        if (!entry) throw new HpackError(`invalid header table index ${index}`);
        [field, bytes, offset] = [[entry.name, entry.value], entry.size, next];
      } else {
        const incremental = (byte & 0xc0) === 0x40;
        const [index, next] = decodeInteger(block, offset, incremental ? 6 : 4);
        let name: Uint8Array | string;
        let nameBytes: number;
        if (index === 0) {
          [name, offset] = decodeString(block, next);
          nameBytes = name.length;
        } else {
          const entry = this.#table.get(index);
          if (!entry) throw new HpackError(`invalid header table index ${index}`);
          [name, nameBytes, offset] = [entry.name, entry.nameBytes, next];
        }
        const [value, after] = decodeString(block, offset);
        offset = after;
        const nameText = typeof name === "string" ? name : utf8Decoder.decode(name);
        field = [nameText, utf8Decoder.decode(value)];
        bytes = nameBytes + value.length + 32;
        // Sizes come from the octets on the wire, so lossy text decoding cannot desync tables.
        if (incremental) this.#table.add(field[0], field[1], nameBytes, value.length);
      }
      listBytes += bytes;
      if (listBytes > this.#maxListBytes) throw new HpackError("header list too large");
      fields.push(field);
    }
    return fields;
  }
}

/** Names whose values must never enter any compression table (RFC 7541 §7.1.3). */
const NEVER_INDEXED = new Set(["authorization", "proxy-authorization", "cookie", "set-cookie"]);
/** Names whose values change with every call: indexing them would only churn the table. */
const VOLATILE = new Set(["grpc-timeout", "content-length", "grpc-message"]);
/** Fields larger than this are sent as plain literals so they do not flush the table. */
const MAX_INDEXED_FIELD = 512;

/** Encodes the header blocks of one connection direction, with its own dynamic table. */
export class HpackEncoder {
  #table: HeaderTable;
  #pendingUpdates: number[] = [];

  /** @param maxTableSize Starting table size; must match what the peer's decoder assumes. */
  constructor(maxTableSize = DEFAULT_TABLE_SIZE) {
    this.#table = new HeaderTable(maxTableSize);
  }

  /** The dynamic table. */
  get table(): HeaderTable {
    return this.#table;
  }

  /** Follows the peer's SETTINGS_HEADER_TABLE_SIZE; the change is signalled in the next block. */
  setPeerMaxTableSize(size: number): void {
    const next = Math.min(size, DEFAULT_TABLE_SIZE);
    const last = this.#pendingUpdates.at(-1) ?? this.#table.maxSize;
    if (next === last) return;
    this.#pendingUpdates.push(next);
    this.#table.setMaxSize(next);
  }

  /** Encodes one header block. */
  encode(fields: readonly HeaderField[]): Uint8Array {
    const out: number[] = [];
    if (this.#pendingUpdates.length > 0) {
      // Signal the smallest size of the interval, then the final one (RFC 7541 §4.2).
      const smallest = Math.min(...this.#pendingUpdates);
      const final = this.#pendingUpdates.at(-1)!;
      encodeInteger(out, smallest, 5, 0x20);
      if (final !== smallest) encodeInteger(out, final, 5, 0x20);
      this.#pendingUpdates = [];
    }
    for (const [name, value] of fields) this.#encodeField(out, name, value);
    return Uint8Array.from(out);
  }

  #encodeField(out: number[], name: string, value: string): void {
    const exact = this.#table.find(name, value);
    if (exact !== undefined) {
      encodeInteger(out, exact, 7, 0x80);
      return;
    }
    const nameIndex = this.#table.findName(name) ?? 0;
    const valueBytes = utf8.encode(value);
    const nameBytes = nameIndex === 0 ? utf8.encode(name) : undefined;
    const never = NEVER_INDEXED.has(name);
    const size = (nameBytes?.length ?? utf8.encode(name).length) + valueBytes.length + 32;
    const index = !never && !VOLATILE.has(name) && size <= MAX_INDEXED_FIELD;
    if (index) encodeInteger(out, nameIndex, 6, 0x40);
    else encodeInteger(out, nameIndex, 4, never ? 0x10 : 0x00);
    if (nameBytes) encodeString(out, nameBytes);
    encodeString(out, valueBytes);
    if (index) this.#table.add(name, value, size - valueBytes.length - 32, valueBytes.length);
  }
}
