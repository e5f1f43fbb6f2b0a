/**
 * Protobuf encoding and decoding of the protocol's messages, by full name, from the descriptor
 * generated out of proto/ (protobufjs reflection). Decoded messages are plain objects with every
 * field present (proto3 defaults filled in), int64 fields as decimal strings (never a lossy
 * number) and field names exactly as in the .proto files. Unknown fields are skipped, so newer
 * hosts that add fields keep working.
 *
 * @module
 */
import protobuf from "protobufjs";
import Long from "long";
import { DESCRIPTOR } from "./_generated.ts";

// Without Long, protobufjs reads int64 into a JS number and loses precision above 2^53 (TTLs of
// more than ~104 days in nanoseconds).
protobuf.util.Long = Long as unknown as typeof protobuf.util.Long;
protobuf.configure();

const root = protobuf.Root.fromJSON(DESCRIPTOR as protobuf.INamespace);
const types = new Map<string, protobuf.Type>();

function type(name: string): protobuf.Type {
  let found = types.get(name);
  if (!found) {
    found = root.lookupType(name);
    types.set(name, found);
  }
  return found;
}

const TO_OBJECT: protobuf.IConversionOptions = {
  longs: String,
  enums: Number,
  bytes: Uint8Array as unknown as typeof Array,
  defaults: true,
  arrays: true,
  objects: true,
};

/**
 * Encodes a plain object as the named message (e.g. "pb.HandleRequestReply"). int64 fields may be
 * given as decimal strings, bigints or numbers.
 *
 * @throws {Error} when the message name is unknown or a field has the wrong type.
 */
export function encode(name: string, value: Record<string, unknown>): Uint8Array {
  const t = type(name);
  return t.encode(t.fromObject(normaliseBigints(value) as Record<string, unknown>)).finish();
}

/** Decodes the named message into a plain object (see the module notes for its shape). */
export function decode<T = Record<string, unknown>>(name: string, bytes: Uint8Array): T {
  const t = type(name);
  return t.toObject(t.decode(bytes), TO_OBJECT) as T;
}

function normaliseBigints(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(normaliseBigints);
  if (value && typeof value === "object" && !(value instanceof Uint8Array)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = normaliseBigints(v);
    return out;
  }
  return value;
}
