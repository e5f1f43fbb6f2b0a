/**
 * HPACK's Huffman string coding (RFC 7541 §5.2) over the code in huffman_table.ts.
 *
 * @module
 */
import { HUFFMAN_EOS, HUFFMAN_TABLE } from "./huffman_table.ts";

/** A Huffman string that cannot be decoded: the caller turns it into COMPRESSION_ERROR. */
export class HuffmanError extends Error {
  /** @param message What is wrong with the string. */
  constructor(message: string) {
    super(message);
    this.name = "HuffmanError";
  }
}

/**
 * The decoding tree as flat arrays: node 0 is the root, `next[node * 2 + bit]` the child, and
 * `symbol[node]` the decoded symbol of a leaf (-1 for inner nodes). The code is complete, so every
 * bit path ends in a leaf and no child is ever missing.
 */
const tree = buildTree();

function buildTree(): { next: Int32Array; symbol: Int32Array } {
  const maxNodes = 2 * HUFFMAN_TABLE.length;
  const next = new Int32Array(maxNodes * 2).fill(-1);
  const symbol = new Int32Array(maxNodes).fill(-1);
  let count = 1;
  HUFFMAN_TABLE.forEach(([code, bits], sym) => {
    let node = 0;
    for (let i = bits - 1; i >= 0; i--) {
      const slot = node * 2 + ((code >>> i) & 1);
      if (next[slot] === -1) next[slot] = count++;
      node = next[slot];
    }
    symbol[node] = sym;
  });
  return { next, symbol };
}

/** Number of bytes `huffmanEncode(input)` produces, to choose between Huffman and raw. */
export function huffmanEncodedLength(input: Uint8Array): number {
  let bits = 0;
  for (const byte of input) bits += HUFFMAN_TABLE[byte][1];
  return Math.ceil(bits / 8);
}

/** Huffman-codes bytes; the last byte is padded with the most significant bits of EOS (ones). */
export function huffmanEncode(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(huffmanEncodedLength(input));
  let offset = 0;
  let acc = 0; // pending bits, fewer than 8
  let pending = 0;
  for (const byte of input) {
    const [code, bits] = HUFFMAN_TABLE[byte];
    let left = bits;
    while (left > 0) {
      const take = Math.min(left, 8 - pending);
      acc = (acc << take) | ((code >>> (left - take)) & ((1 << take) - 1));
      pending += take;
      left -= take;
      if (pending === 8) {
        out[offset++] = acc;
        acc = 0;
        pending = 0;
      }
    }
  }
  if (pending > 0) out[offset] = (acc << (8 - pending)) | ((1 << (8 - pending)) - 1);
  return out;
}

/**
 * Decodes a Huffman-coded string.
 *
 * @throws {HuffmanError} When the string contains EOS, or its padding is longer than 7 bits or
 *   not all ones (RFC 7541 §5.2).
 */
export function huffmanDecode(input: Uint8Array): Uint8Array {
  // Every symbol is at least 5 bits long, so 8 bits carry at most 1.6 symbols.
  const out = new Uint8Array(Math.ceil((input.length * 8) / 5));
  let length = 0;
  let node = 0;
  let bitsSinceSymbol = 0;
  let onesSinceSymbol = true;
  for (const byte of input) {
    for (let i = 7; i >= 0; i--) {
      const bit = (byte >>> i) & 1;
      node = tree.next[node * 2 + bit];
      bitsSinceSymbol++;
      onesSinceSymbol &&= bit === 1;
      const sym = tree.symbol[node];
      if (sym === -1) continue;
      if (sym === HUFFMAN_EOS) throw new HuffmanError("Huffman string contains EOS");
      out[length++] = sym;
      node = 0;
      bitsSinceSymbol = 0;
      onesSinceSymbol = true;
    }
  }
  if (bitsSinceSymbol > 7) throw new HuffmanError("Huffman padding longer than 7 bits");
  if (!onesSinceSymbol) throw new HuffmanError("Huffman padding is not a prefix of EOS");
  return out.subarray(0, length);
}
