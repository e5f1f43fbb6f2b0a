/**
 * HPACK (RFC 7541) header compression for our HTTP/2 layer. The decoder handles everything a peer
 * may send: indexed fields, literals with and without indexing, dynamic table size updates and
 * Huffman-coded strings. The encoder keeps no dynamic table: it sends static-table indexes where
 * they fit and plain literals otherwise, which every decoder must accept and which keeps our
 * side free of compression state.
 *
 * @module
 */
import { HUFFMAN_CODES, HUFFMAN_LENGTHS, STATIC_TABLE } from "./_hpack_tables.ts";

/** A header field: lower-case name and value. */
export type HeaderField = readonly [name: string, value: string];

/** The peer sent a header block we cannot decode: a connection error COMPRESSION_ERROR. */
export class HpackError extends Error {
  /** @param message What is wrong with the block. */
  constructor(message: string) {
    super(message);
    this.name = "HpackError";
  }
}

interface HuffmanNode {
  symbol?: number;
  children: [HuffmanNode | undefined, HuffmanNode | undefined];
}

function buildHuffmanTree(): HuffmanNode {
  const root: HuffmanNode = { children: [undefined, undefined] };
  for (let symbol = 0; symbol < 256; symbol++) {
    let node = root;
    const code = HUFFMAN_CODES[symbol];
    for (let bit = HUFFMAN_LENGTHS[symbol] - 1; bit >= 0; bit--) {
      const b = (code >>> bit) & 1;
      node.children[b] ??= { children: [undefined, undefined] };
      node = node.children[b]!;
    }
    node.symbol = symbol;
  }
  return root;
}

const HUFFMAN_TREE = buildHuffmanTree();
const textDecoder = new TextDecoder();
const textEncoder = new TextEncoder();

/** Decodes a Huffman-coded string; padding must be at most 7 one-bits (RFC 7541 §5.2). */
export function huffmanDecode(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  let node = HUFFMAN_TREE;
  let depth = 0;
  let allOnes = true;
  for (const byte of input) {
    for (let bit = 7; bit >= 0; bit--) {
      const b = (byte >>> bit) & 1;
      const next = node.children[b];
      if (!next) throw new HpackError("invalid Huffman code");
      depth++;
      allOnes &&= b === 1;
      if (next.symbol !== undefined) {
        out.push(next.symbol);
        node = HUFFMAN_TREE;
        depth = 0;
        allOnes = true;
      } else {
        node = next;
      }
    }
  }
  if (depth > 7 || !allOnes) throw new HpackError("invalid Huffman padding");
  return Uint8Array.from(out);
}

/** Encodes bytes with the Huffman code (used by tests and available to callers). */
export function huffmanEncode(input: Uint8Array): Uint8Array {
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const byte of input) {
    let len = HUFFMAN_LENGTHS[byte];
    const code = HUFFMAN_CODES[byte];
    while (len > 0) {
      const take = Math.min(len, 8 - bits);
      const chunk = (code >>> (len - take)) & ((1 << take) - 1);
      acc = (acc << take) | chunk;
      bits += take;
      len -= take;
      if (bits === 8) {
        out.push(acc);
        acc = 0;
        bits = 0;
      }
    }
  }
  if (bits > 0) out.push(((acc << (8 - bits)) | ((1 << (8 - bits)) - 1)) & 0xff);
  return Uint8Array.from(out);
}

/** Reads an HPACK integer with an N-bit prefix (RFC 7541 §5.1). */
function readInteger(block: Uint8Array, offset: number, prefixBits: number): [number, number] {
  if (offset >= block.length) throw new HpackError("truncated integer");
  const max = (1 << prefixBits) - 1;
  let value = block[offset] & max;
  offset++;
  if (value < max) return [value, offset];
  let shift = 0;
  for (;;) {
    if (offset >= block.length) throw new HpackError("truncated integer");
    const byte = block[offset++];
    value += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if (value > 0xffffffff) throw new HpackError("integer overflow");
    if ((byte & 0x80) === 0) return [value, offset];
  }
}

function writeInteger(out: number[], value: number, prefixBits: number, flags: number): void {
  const max = (1 << prefixBits) - 1;
  if (value < max) {
    out.push(flags | value);
    return;
  }
  out.push(flags | max);
  value -= max;
  while (value >= 128) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
}

function readString(block: Uint8Array, offset: number): [string, number] {
  if (offset >= block.length) throw new HpackError("truncated string");
  const huffman = (block[offset] & 0x80) !== 0;
  const [length, start] = readInteger(block, offset, 7);
  const end = start + length;
  if (end > block.length) throw new HpackError("truncated string");
  const raw = block.subarray(start, end);
  return [textDecoder.decode(huffman ? huffmanDecode(raw) : raw), end];
}

/** Decodes header blocks of one connection; keeps the peer's dynamic table. */
export class HpackDecoder {
  #dynamic: HeaderField[] = [];
  #size = 0;
  #maxSize: number;
  #limit: number;

  /** @param maxTableSize Our SETTINGS_HEADER_TABLE_SIZE (the most the peer may use). */
  constructor(maxTableSize = 4096) {
    this.#maxSize = maxTableSize;
    this.#limit = maxTableSize;
  }

  #entry(index: number): HeaderField {
    if (index >= 1 && index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1];
    const dynamicIndex = index - STATIC_TABLE.length - 1;
    const entry = this.#dynamic[dynamicIndex];
    if (index === 0 || !entry) throw new HpackError(`invalid table index ${index}`);
    return entry;
  }

  #insert(field: HeaderField): void {
    const size = field[0].length + field[1].length + 32;
    this.#dynamic.unshift(field);
    this.#size += size;
    this.#evict();
  }

  #evict(): void {
    while (this.#size > this.#maxSize && this.#dynamic.length > 0) {
      const last = this.#dynamic.pop()!;
      this.#size -= last[0].length + last[1].length + 32;
    }
  }

  /** Decodes one complete header block. Throws HpackError on malformed input. */
  decode(block: Uint8Array): HeaderField[] {
    const fields: HeaderField[] = [];
    let offset = 0;
    while (offset < block.length) {
      const byte = block[offset];
      if (byte & 0x80) {
        const [index, next] = readInteger(block, offset, 7);
        fields.push(this.#entry(index));
        offset = next;
      } else if ((byte & 0xe0) === 0x20) {
        const [size, next] = readInteger(block, offset, 5);
        if (size > this.#limit) throw new HpackError("table size update above the limit");
        this.#maxSize = size;
        this.#evict();
        offset = next;
      } else {
        const indexing = (byte & 0xc0) === 0x40;
        const [index, afterIndex] = readInteger(block, offset, indexing ? 6 : 4);
        let name: string;
        offset = afterIndex;
        if (index === 0) [name, offset] = readString(block, offset);
        else name = this.#entry(index)[0];
        let value: string;
        [value, offset] = readString(block, offset);
        const field: HeaderField = [name, value];
        if (indexing) this.#insert(field);
        fields.push(field);
      }
    }
    return fields;
  }
}

const STATIC_NAME_INDEX = new Map<string, number>();
const STATIC_PAIR_INDEX = new Map<string, number>();
STATIC_TABLE.forEach(([name, value], i) => {
  if (!STATIC_NAME_INDEX.has(name)) STATIC_NAME_INDEX.set(name, i + 1);
  STATIC_PAIR_INDEX.set(`${name}\0${value}`, i + 1);
});

/** Encodes header blocks without a dynamic table (stateless, so it needs no instance). */
export function hpackEncode(fields: readonly HeaderField[]): Uint8Array {
  const out: number[] = [];
  for (const [name, value] of fields) {
    const pair = STATIC_PAIR_INDEX.get(`${name}\0${value}`);
    if (pair !== undefined) {
      writeInteger(out, pair, 7, 0x80);
      continue;
    }
    const nameIndex = STATIC_NAME_INDEX.get(name) ?? 0;
    writeInteger(out, nameIndex, 4, 0x00); // literal without indexing
    if (nameIndex === 0) writeBytes(out, textEncoder.encode(name));
    writeBytes(out, textEncoder.encode(value));
  }
  return Uint8Array.from(out);
}

function writeBytes(out: number[], bytes: Uint8Array): void {
  writeInteger(out, bytes.length, 7, 0x00);
  for (const b of bytes) out.push(b);
}
