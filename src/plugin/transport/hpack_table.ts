/**
 * The HPACK index space (RFC 7541 §2.3): the static table followed by one connection direction's
 * dynamic table, with the size accounting (octets + 32 per entry) and eviction of §4.
 *
 * @module
 */
import { STATIC_TABLE } from "./static_table.ts";

/** One table entry; sizes are in octets as they travel on the wire. */
export interface TableEntry {
  /** Header name. */
  readonly name: string;
  /** Header value. */
  readonly value: string;
  /** Octets of the name. */
  readonly nameBytes: number;
  /** Octets of the value. */
  readonly valueBytes: number;
  /** Entry size as RFC 7541 §4.1 counts it: name + value + 32. */
  readonly size: number;
}

interface Stored extends TableEntry {
  readonly seq: number;
}

const utf8 = new TextEncoder();
const STATIC_ENTRIES: readonly TableEntry[] = STATIC_TABLE.map(([name, value]) =>
  entry(name, value, utf8.encode(name).length, utf8.encode(value).length)
);
const STATIC_PAIRS = new Map<string, number>();
const STATIC_NAMES = new Map<string, number>();
STATIC_TABLE.forEach(([name, value], i) => {
  STATIC_PAIRS.set(pairKey(name, value), i + 1);
  if (!STATIC_NAMES.has(name)) STATIC_NAMES.set(name, i + 1);
});

function entry(name: string, value: string, nameBytes: number, valueBytes: number): TableEntry {
  return { name, value, nameBytes, valueBytes, size: nameBytes + valueBytes + 32 };
}

function pairKey(name: string, value: string): string {
  return `${name}\u0000${value}`;
}

/** The static table plus one dynamic table. */
export class HeaderTable {
  /** Oldest first, so that eviction shifts and insertion pushes. */
  #dynamic: Stored[] = [];
  #size = 0;
  #maxSize: number;
  #inserted = 0;
  /** Latest sequence number per (name, value) and per name, for the encoder's lookups. */
  #pairs = new Map<string, number>();
  #names = new Map<string, number>();

  /** @param maxSize Initial maximum dynamic table size in octets. */
  constructor(maxSize: number) {
    this.#maxSize = maxSize;
  }

  /** Current maximum size of the dynamic table. */
  get maxSize(): number {
    return this.#maxSize;
  }

  /** Current size of the dynamic table (RFC 7541 §4.1). */
  get size(): number {
    return this.#size;
  }

  /** Number of dynamic entries. */
  get length(): number {
    return this.#dynamic.length;
  }

  /** The dynamic entries, newest first (for tests and diagnostics). */
  dynamicEntries(): Array<[name: string, value: string]> {
    return this.#dynamic.map((e): [string, string] => [e.name, e.value]).reverse();
  }

  /** Entry at an HPACK index (1-based, static first), or undefined when out of range. */
  get(index: number): TableEntry | undefined {
    if (index >= 1 && index <= STATIC_ENTRIES.length) return STATIC_ENTRIES[index - 1];
    const fromNewest = index - STATIC_ENTRIES.length;
    if (fromNewest < 1 || fromNewest > this.#dynamic.length) return undefined;
    return this.#dynamic[this.#dynamic.length - fromNewest];
  }

  /** Index of an entry with this name and value, or undefined. */
  find(name: string, value: string): number | undefined {
    return STATIC_PAIRS.get(pairKey(name, value)) ??
      this.#indexOf(this.#pairs.get(pairKey(name, value)));
  }

  /** Index of an entry with this name, or undefined. */
  findName(name: string): number | undefined {
    return STATIC_NAMES.get(name) ?? this.#indexOf(this.#names.get(name));
  }

  /** Inserts an entry, evicting old ones; an entry larger than the table empties it (§4.4). */
  add(name: string, value: string, nameBytes: number, valueBytes: number): void {
    const added = entry(name, value, nameBytes, valueBytes);
    if (added.size > this.#maxSize) {
      this.#evictTo(0);
      return;
    }
    this.#evictTo(this.#maxSize - added.size);
    const seq = ++this.#inserted;
    this.#dynamic.push({ ...added, seq });
    this.#size += added.size;
    this.#pairs.set(pairKey(name, value), seq);
    this.#names.set(name, seq);
  }

  /** Changes the maximum size, evicting what no longer fits (§4.3). */
  setMaxSize(maxSize: number): void {
    this.#maxSize = maxSize;
    this.#evictTo(maxSize);
  }

  #evictTo(limit: number): void {
    while (this.#size > limit && this.#dynamic.length > 0) {
      const old = this.#dynamic.shift()!;
      this.#size -= old.size;
      const key = pairKey(old.name, old.value);
      if (this.#pairs.get(key) === old.seq) this.#pairs.delete(key);
      if (this.#names.get(old.name) === old.seq) this.#names.delete(old.name);
    }
  }

  #indexOf(seq: number | undefined): number | undefined {
    if (seq === undefined) return undefined;
    return STATIC_ENTRIES.length + (this.#inserted - seq) + 1;
  }
}
