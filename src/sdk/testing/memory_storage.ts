/**
 * In-memory Storage and SystemView for tests of backends built on the SDK, with Vault's list
 * semantics (direct children only, sub-folders with a trailing "/", sorted).
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

/** Storage kept in a Map. */
export class MemoryStorage implements Storage {
  /** The entries, by key (inspect them in tests). */
  readonly entries = new Map<string, StorageEntry>();

  /** Keys directly below `prefix`. */
  async list(prefix: string): Promise<string[]> {
    const out = new Set<string>();
    for (const key of this.entries.keys()) {
      if (!key.startsWith(prefix)) continue;
      const rest = key.slice(prefix.length);
      const slash = rest.indexOf("/");
      out.add(slash === -1 ? rest : rest.slice(0, slash + 1));
    }
    return [...out].sort();
  }

  /** The entry at `key`. */
  async get(key: string): Promise<StorageEntry | undefined> {
    const entry = this.entries.get(key);
    return entry ? { ...entry, value: entry.value.slice() } : undefined;
  }

  /** Stores an entry. */
  async put(entry: StorageEntry): Promise<void> {
    if (key_has_dot_dot(entry.key)) throw new Error("relative paths not supported");
    this.entries.set(entry.key, { ...entry, value: entry.value.slice() });
  }

  /** Deletes `key`. */
  async delete(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

function key_has_dot_dot(key: string): boolean {
  return key.split("/").includes("..");
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
