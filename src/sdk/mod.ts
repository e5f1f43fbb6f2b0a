/**
 * The engine-agnostic SDK: the one door engines import. The logical model, typed errors and the
 * framework; nothing here knows about protobuf or gRPC.
 *
 * @module
 */
export * from "./logical.ts";
export * from "./errors.ts";
export * from "./framework/mod.ts";
