/**
 * Vault identity templates for role fields (`{{identity.entity.name}}` and friends), checked on
 * write and filled from the caller's entity when a key is minted. Strict: a placeholder that
 * cannot be resolved refuses the request, so no key is ever minted for the wrong user or team.
 *
 * Supported placeholders (a subset of Vault's identity templating):
 * `identity.entity.id`, `identity.entity.name`, `identity.entity.metadata.<key>`,
 * `identity.entity.aliases.<mount accessor>.name`,
 * `identity.entity.aliases.<mount accessor>.metadata.<key>`,
 * `identity.groups.ids.<group id>.name`, `identity.groups.names.<group name>.id`.
 *
 * @module
 */
import type { Entity, Group } from "../sdk/mod.ts";

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;
const SEGMENT = "[^.{}\\s]+";
const SUPPORTED = [
  /^identity\.entity\.id$/,
  /^identity\.entity\.name$/,
  new RegExp(`^identity\\.entity\\.metadata\\.${SEGMENT}$`),
  new RegExp(`^identity\\.entity\\.aliases\\.${SEGMENT}\\.name$`),
  new RegExp(`^identity\\.entity\\.aliases\\.${SEGMENT}\\.metadata\\.${SEGMENT}$`),
  new RegExp(`^identity\\.groups\\.ids\\.${SEGMENT}\\.name$`),
  new RegExp(`^identity\\.groups\\.names\\.${SEGMENT}\\.id$`),
];

/** Why a template is not valid, or undefined when it is. */
export function templateProblem(template: string): string | undefined {
  const stripped = template.replace(PLACEHOLDER, "");
  if (stripped.includes("{{") || stripped.includes("}}")) return "has an unbalanced {{ or }}";
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!SUPPORTED.some((re) => re.test(match[1]))) {
      return `"{{${match[1]}}}" is not a supported identity placeholder`;
    }
  }
  return undefined;
}

/** Fills a template from the caller's entity; throws with the placeholder that did not resolve. */
export function renderTemplate(template: string, entity: Entity, groups: Group[]): string {
  return template.replace(PLACEHOLDER, (_whole, path: string) => {
    const value = resolve(path.split("."), entity, groups);
    if (value === undefined || value === "") {
      throw new Error(`"{{${path}}}" did not resolve for this caller`);
    }
    return value;
  });
}

function resolve(parts: string[], entity: Entity, groups: Group[]): string | undefined {
  const [, scope, kind, ...rest] = parts;
  if (scope === "entity") {
    if (kind === "id") return entity.id;
    if (kind === "name") return entity.name;
    if (kind === "metadata") return entity.metadata[rest.join(".")];
    if (kind === "aliases") {
      const alias = entity.aliases.find((a) => a.mountAccessor === rest[0]);
      if (!alias) return undefined;
      return rest[1] === "name" ? alias.name : alias.metadata[rest.slice(2).join(".")];
    }
  }
  if (scope === "groups") {
    if (kind === "ids") return groups.find((g) => g.id === rest[0])?.name;
    if (kind === "names") return groups.find((g) => g.name === rest[0])?.id;
  }
  return undefined;
}
