/**
 * Protobuf encoding and decoding of the protocol's messages by full name (e.g.
 * "pb.HandleRequestArgs"), typed from the descriptor generated out of proto/ (protobufjs
 * reflection, see docs/protobuf.md).
 *
 * Decoded messages are plain objects shaped as {@linkcode MessageTypes}: every field present with
 * its proto3 default, unset messages `null`, field names exactly as in the .proto files, int64 as
 * `bigint` (never a rounded number: a TTL above ~104 days exceeds 2^53 ns), enums as numbers and
 * bytes as `Uint8Array`. Unknown fields are skipped, so hosts that add fields keep working.
 *
 * @example
 * ```ts
 * import { decode, encode } from "./codec.ts";
 *
 * const bytes = encode("pb.TTLReply", { TTL: 2_764_800_000_000_000n });
 * decode("pb.TTLReply", bytes).TTL; // 2764800000000000n
 * ```
 *
 * @module
 */
import protobuf from "protobufjs";
import Long from "long";
import { DESCRIPTOR, type MessageTypes } from "./_generated.ts";

export type { MessageTypes } from "./_generated.ts";

/** Full name of a message in proto/, e.g. "pb.Request". */
export type MessageName = keyof MessageTypes;

/** A decoded message of type `N`. */
export type Message<N extends MessageName> = MessageTypes[N];

/**
 * What `encode` accepts for a value of type `T`: every field optional (absent, `null` and
 * `undefined` all mean the proto3 default), int64 as `bigint`, a safe-integer `number` or a
 * decimal string.
 */
export type MessageInit<T> = T extends bigint ? bigint | number | string
  : T extends Uint8Array ? Uint8Array
  : T extends readonly (infer E)[] ? readonly MessageInit<E>[]
  : T extends object ? { [K in keyof T]?: MessageInit<T[K]> | null }
  : T;

// This process owns its protobufjs instance (nothing else here loads .proto files), so configure
// it once: int64 through `long` (without it protobufjs reads int64 into a lossy number; set
// explicitly because a compiled binary may not resolve it on its own), and plain Uint8Array
// instead of node's Buffer so callers and tests see one byte type.
protobuf.util.Long = Long as unknown as typeof protobuf.util.Long;
(protobuf.util as { Buffer: unknown }).Buffer = null;
protobuf.configure();

const ROOT = protobuf.Root.fromJSON(DESCRIPTOR as unknown as protobuf.INamespace);
const TYPES = new Map<string, protobuf.Type>();

const TO_OBJECT: protobuf.IConversionOptions = {
  longs: BigInt as unknown as typeof String,
  enums: Number,
  defaults: true,
  arrays: true,
  objects: true,
};

function lookup(name: string): protobuf.Type {
  let type = TYPES.get(name);
  if (!type) {
    type = ROOT.lookupType(name);
    TYPES.set(name, type);
  }
  return type;
}

/**
 * Encodes `value` as the message named `name`.
 *
 * @throws {RangeError} when a `number` given for an int64 field is not a safe integer (it would
 * already have lost precision).
 * @throws {Error} when `name` is not a message of the descriptor.
 */
export function encode<N extends MessageName>(
  name: N,
  value: MessageInit<Message<N>>,
): Uint8Array {
  const type = lookup(name);
  checkLongs(type, value as Record<string, unknown>);
  return type.encode(type.fromObject(value as Record<string, unknown>)).finish();
}

/**
 * Decodes `bytes` as the message named `name` (shape: see the module notes).
 *
 * @throws {Error} when the bytes are not a valid encoding of that message.
 */
export function decode<N extends MessageName>(name: N, bytes: Uint8Array): Message<N>;
/**
 * Decodes `bytes` as the message named `name`, typed as the caller's own view `T` of it. Prefer
 * the typed overload; this one remains for callers that describe only the fields they read.
 */
export function decode<T>(name: MessageName, bytes: Uint8Array): T;
export function decode(name: MessageName, bytes: Uint8Array): unknown {
  const type = lookup(name);
  return type.toObject(type.decode(bytes), TO_OBJECT);
}

/**
 * protobufjs turns any number into an int64 without complaint; a number beyond 2^53 was already
 * rounded by whoever computed it, so refuse it rather than send a silently wrong TTL.
 */
function checkLongs(type: protobuf.Type, value: Record<string, unknown> | null | undefined): void {
  if (!value || typeof value !== "object") return;
  for (const field of type.fieldsArray) {
    const v = value[field.name];
    if (v === undefined || v === null) continue;
    const items: unknown[] = field.map
      ? Object.values(v as object)
      : field.repeated
      ? (v as unknown[])
      : [v];
    if (field.resolvedType instanceof protobuf.Type) {
      for (const item of items) {
        checkLongs(field.resolvedType, item as Record<string, unknown>);
      }
    } else if (field.long) {
      for (const item of items) {
        if (typeof item === "number" && !Number.isSafeInteger(item)) {
          throw new RangeError(
            `Cannot encode ${field.fullName.slice(1)} as int64: ${item} is not a safe integer`,
          );
        }
      }
    }
  }
}
