/**
 * Identity and environment messages from the host's system view, as logical types.
 *
 * @module
 */
import type { Entity, EntityAlias, Group, PluginEnvironment } from "../logical.ts";
import type { PbAlias, PbEntity, PbGroup, PbPluginEnvironment } from "./messages.ts";

/** logical.Entity to a logical Entity. */
export function entityFromPb(pb: PbEntity): Entity {
  return {
    id: pb.ID,
    name: pb.name,
    aliases: pb.aliases.map(aliasFromPb),
    metadata: { ...pb.metadata },
    disabled: pb.disabled,
    namespaceId: pb.namespace_id,
  };
}

/** logical.Alias to a logical EntityAlias. */
export function aliasFromPb(pb: PbAlias): EntityAlias {
  return {
    mountType: pb.mount_type,
    mountAccessor: pb.mount_accessor,
    name: pb.name,
    metadata: { ...pb.metadata },
    id: pb.ID,
  };
}

/** logical.Group to a logical Group. */
export function groupFromPb(pb: PbGroup): Group {
  return {
    id: pb.ID,
    name: pb.name,
    metadata: { ...pb.metadata },
    namespaceId: pb.namespace_id,
  };
}

/** logical.PluginEnvironment to a logical PluginEnvironment; an absent one is all empty. */
export function pluginEnvFromPb(pb: PbPluginEnvironment | null): PluginEnvironment {
  return {
    vaultVersion: pb?.vault_version ?? "",
    vaultVersionPrerelease: pb?.vault_version_prerelease ?? "",
    vaultVersionMetadata: pb?.vault_version_metadata ?? "",
  };
}
