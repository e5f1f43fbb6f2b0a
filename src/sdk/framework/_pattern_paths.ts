/**
 * Turns a path pattern into the OpenAPI paths it stands for, as Vault's expandPattern: named
 * groups become `{name}`, each alternative (`a|b`) and optional part (`x?`) forks a path, and a
 * trailing optional slash is dropped. Patterns using anything else outside named groups (char
 * classes, `.`, `*`, `+`, repeats) have no sensible OpenAPI path: the result is undefined.
 * Internal to the framework.
 *
 * @module
 */

type Node =
  | { kind: "text"; text: string }
  | { kind: "param"; name: string }
  | { kind: "seq"; items: Node[] }
  | { kind: "alt"; options: Node[] }
  | { kind: "optional"; node: Node };

class Unsupported extends Error {}

/** A path being built, with where an optional trailing slash was last appended (Go's trick). */
interface Collector {
  text: string;
  optionalSlashAt: number;
}

const MAX_PATHS = 64;
const ESCAPED_LITERALS = new Set([..."\\/.-_^$*+?()[]{}|"]);

class PatternParser {
  #source: string;
  #at = 0;

  constructor(source: string) {
    this.#source = source;
  }

  parse(): Node {
    const node = this.#alternation();
    if (this.#at < this.#source.length) throw new Unsupported("unbalanced parenthesis");
    return node;
  }

  #alternation(): Node {
    const options = [this.#sequence()];
    while (this.#source[this.#at] === "|") {
      this.#at++;
      options.push(this.#sequence());
    }
    return options.length === 1 ? options[0] : { kind: "alt", options };
  }

  #sequence(): Node {
    const items: Node[] = [];
    while (this.#at < this.#source.length && !"|)".includes(this.#source[this.#at])) {
      let atom = this.#atom();
      const next = this.#source[this.#at];
      if (next === "?") {
        this.#at++;
        atom = { kind: "optional", node: atom };
      } else if (next === "*" || next === "+" || next === "{") {
        throw new Unsupported(`quantifier ${next}`);
      }
      items.push(atom);
    }
    return { kind: "seq", items };
  }

  #atom(): Node {
    const s = this.#source;
    const c = s[this.#at++];
    if (c === "^" || c === "$") return { kind: "seq", items: [] };
    if (c === "\\") {
      const escaped = s[this.#at++];
      if (!ESCAPED_LITERALS.has(escaped)) throw new Unsupported(`class \\${escaped}`);
      return { kind: "text", text: escaped };
    }
    if (c === "(") return this.#group();
    if (c === "[" || c === ".") throw new Unsupported(c);
    return { kind: "text", text: c };
  }

  #group(): Node {
    const s = this.#source;
    const named = /^\?P?<([A-Za-z_]\w*)>/.exec(s.slice(this.#at));
    if (named) {
      this.#at += named[0].length;
      this.#skipToClose();
      return { kind: "param", name: named[1] };
    }
    if (s.startsWith("?:", this.#at)) this.#at += 2;
    else if (s[this.#at] === "?") throw new Unsupported("lookaround");
    const inner = this.#alternation();
    if (s[this.#at++] !== ")") throw new Unsupported("unbalanced parenthesis");
    return inner;
  }

  /** Skips a named group's body (its regex is not part of the OpenAPI path). */
  #skipToClose(): void {
    const s = this.#source;
    let depth = 1;
    let inClass = false;
    while (this.#at < s.length) {
      const c = s[this.#at++];
      if (c === "\\") this.#at++;
      else if (inClass) inClass = c !== "]";
      else if (c === "[") inClass = true;
      else if (c === "(") depth++;
      else if (c === ")" && --depth === 0) return;
    }
    throw new Unsupported("unbalanced parenthesis");
  }
}

function collect(node: Node, into: Collector[]): Collector[] {
  switch (node.kind) {
    case "text":
      for (const c of into) c.text += node.text;
      return into;
    case "param":
      for (const c of into) c.text += `{${node.name}}`;
      return into;
    case "seq":
      return node.items.reduce((acc, item) => collect(item, acc), into);
    case "alt":
      return node.options.flatMap((option) => collect(option, into.map((c) => ({ ...c }))));
    case "optional": {
      const taken = collect(node.node, into.map((c) => ({ ...c })));
      if (node.node.kind === "text" && node.node.text === "/") {
        for (const c of taken) c.optionalSlashAt = c.text.length;
      }
      const out = [...into, ...taken];
      if (out.length > MAX_PATHS) throw new Unsupported("too many alternatives");
      return out;
    }
  }
}

/**
 * The OpenAPI paths (without the leading "/") a pattern stands for, or undefined when it
 * cannot be expressed as OpenAPI paths.
 *
 * @example
 * ```ts
 * import { expandPattern } from "./_pattern_paths.ts";
 * expandPattern("roles/(?<name>\\w+)"); // ["roles/{name}"]
 * expandPattern("roles/?"); // ["roles"]
 * ```
 */
export function expandPattern(pattern: string): string[] | undefined {
  try {
    const root = new PatternParser(pattern).parse();
    const collectors = collect(root, [{ text: "", optionalSlashAt: -1 }]);
    const paths = collectors.filter((c) => c.optionalSlashAt !== c.text.length).map((c) => c.text);
    return [...new Set(paths)];
  } catch (error) {
    if (error instanceof Unsupported) return undefined;
    throw error;
  }
}
