/**
 * In-memory Storage, SystemView and Logger for tests of backends built on the SDK; the storage
 * lists as the hosts do (direct children only, sub-folders with a trailing "/", sorted).
 *
 * @module
 */
import type {
  Entity,
  Group,
  Logger,
  PluginEnvironment,
  Storage,
  StorageEntry,
  SystemView,
} from "../logical.ts";
import { StorageError } from "../errors.ts";

/**
 * Storage kept in a Map, behaving as the hosts' storage views do: `list` returns the direct
 * children of a prefix, sub-folders once with a trailing "/", in byte order (the order of the
 * hosts' sorted key walk); keys that are relative paths are refused with the hosts' text.
 *
 * @example
 * ```ts
 * import { MemoryStorage } from "./memory_storage.ts";
 *
 * const storage = new MemoryStorage();
 * await storage.put({ key: "roles/dev", value: new Uint8Array() });
 * await storage.list(""); // ["roles/"]
 * ```
 */
export class MemoryStorage implements Storage {
  /** The entries, by key (inspect them in tests). */
  readonly entries = new Map<string, StorageEntry>();

  /**
   * Keys directly below `prefix`, relative to it; sub-folders end with "/".
   *
   * @throws {StorageError} "relative paths not supported" for a relative prefix.
   */
  async list(prefix: string): Promise<string[]> {
    checkKey(prefix);
    const out = new Set<string>();
    for (const key of this.entries.keys()) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf("/");
      out.add(slash === -1 ? rest : rest.slice(0, slash + 1));
    }
    return [...out].sort(compareCodePoints);
  }

  /**
   * A copy of the entry at `key`, or `undefined`.
   *
   * @throws {StorageError} "relative paths not supported" for a relative key.
   */
  async get(key: string): Promise<StorageEntry | undefined> {
    checkKey(key);
    const entry = this.entries.get(key);
    return entry ? { ...entry, value: entry.value.slice() } : undefined;
  }

  /**
   * Stores a copy of `entry` (`sealWrap` defaults to false, as on the wire).
   *
   * @throws {StorageError} "relative paths not supported" for a relative key.
   */
  async put(entry: StorageEntry): Promise<void> {
    checkKey(entry.key);
    this.entries.set(entry.key, {
      key: entry.key,
      value: entry.value.slice(),
      sealWrap: entry.sealWrap ?? false,
    });
  }

  /**
   * Deletes `key`; a missing key is not an error.
   *
   * @throws {StorageError} "relative paths not supported" for a relative key.
   */
  async delete(key: string): Promise<void> {
    checkKey(key);
    this.entries.delete(key);
  }
}

/**
 * Refuses what either host refuses: Vault any key containing "..", OpenBao "." or ".." segments.
 * A key that passes here passes on both.
 */
function checkKey(key: string): void {
  if (key.includes("..") || key.split("/").includes(".")) {
    throw new StorageError("relative paths not supported");
  }
}

/** Orders by Unicode code point, which is UTF-8 byte order (the hosts sort bytes). */
function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = left[i].codePointAt(0)! - right[i].codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/** A SystemView with fixed answers (768 h TTLs by default, like a fresh mount). */
export class FakeSystemView implements SystemView {
  /** Mount default lease TTL in seconds. */
  defaultTtl = 768 * 3600;
  /** Mount max lease TTL in seconds. */
  maxTtl = 768 * 3600;
  /** Entities by id. */
  entities = new Map<string, Entity>();
  /** Groups by entity id. */
  groups = new Map<string, Group[]>();

  /** @inheritdoc */
  async defaultLeaseTtlSeconds() {
    return this.defaultTtl;
  }
  /** @inheritdoc */
  async maxLeaseTtlSeconds() {
    return this.maxTtl;
  }
  /** @inheritdoc */
  async tainted() {
    return false;
  }
  /** @inheritdoc */
  async replicationState() {
    return 0;
  }
  /** @inheritdoc */
  async localMount() {
    return false;
  }
  /** @inheritdoc */
  async entityInfo(id: string) {
    return this.entities.get(id);
  }
  /** @inheritdoc */
  async groupsForEntity(id: string) {
    return this.groups.get(id) ?? [];
  }
  /** @inheritdoc */
  async pluginEnv(): Promise<PluginEnvironment> {
    return { vaultVersion: "2.7.2", vaultVersionPrerelease: "", vaultVersionMetadata: "" };
  }
}

/** A logger that keeps lines in memory (tests check that no secret is ever logged). */
export class MemoryLogger implements Logger {
  /** Every line logged, as JSON text. */
  readonly lines: string[];
  #fields: Record<string, unknown>;

  constructor(lines: string[] = [], fields: Record<string, unknown> = {}) {
    this.lines = lines;
    this.#fields = fields;
  }

  #log(level: string, message: string, fields?: Record<string, unknown>) {
    this.lines.push(JSON.stringify({ level, message, ...this.#fields, ...fields }));
  }
  /** @inheritdoc */
  trace(m: string, f?: Record<string, unknown>) {
    this.#log("trace", m, f);
  }
  /** @inheritdoc */
  debug(m: string, f?: Record<string, unknown>) {
    this.#log("debug", m, f);
  }
  /** @inheritdoc */
  info(m: string, f?: Record<string, unknown>) {
    this.#log("info", m, f);
  }
  /** @inheritdoc */
  warn(m: string, f?: Record<string, unknown>) {
    this.#log("warn", m, f);
  }
  /** @inheritdoc */
  error(m: string, f?: Record<string, unknown>) {
    this.#log("error", m, f);
  }
  /** @inheritdoc */
  with(fields: Record<string, unknown>): Logger {
    return new MemoryLogger(this.lines, { ...this.#fields, ...fields });
  }
}
