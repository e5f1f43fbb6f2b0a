/**
 * The one place where thrown errors become wire errors (protocol.md §6.7; the Go SDK's
 * ErrToProtoErr). Handlers throw the typed errors of `src/sdk/errors.ts`; nothing else builds a
 * ProtoError.
 *
 * | thrown                      | HandleRequest reply                          | HTTP |
 * |-----------------------------|----------------------------------------------|------|
 * | UserInputError              | response data `{"error": message}`, no err   | 400  |
 * | CodedError                  | err_type 3, err_code = status                | status |
 * | UnsupportedOperationError   | err_type 5                                   | 405  |
 * | UnsupportedPathError        | err_type 6                                   | 404  |
 * | PermissionDeniedError       | err_type 8                                   | 403  |
 * | StorageError, anything else | err_type 0 with the message verbatim         | 500  |
 *
 * Storage texts stay verbatim because the host matches substrings of them: "cannot write to
 * readonly storage" makes a standby forward the request to the active node.
 *
 * @module
 */
import {
  CodedError,
  PermissionDeniedError,
  UnsupportedOperationError,
  UnsupportedPathError,
  UserInputError,
} from "../errors.ts";
import type { Message } from "./codec.ts";
import { ErrType, type PbProtoError } from "./messages.ts";
import { responseToPb } from "./translate.ts";

function protoError(type: number, message: string, code = 0n): PbProtoError {
  return { err_type: type, err_msg: message, err_code: code };
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message || "internal error";
}

/**
 * Maps an error to a ProtoError. A UserInputError becomes err_type 1 (UserError), which the host
 * answers with 400 in existence checks; in HandleRequest use {@linkcode handleRequestErrorReply}.
 */
export function errorToProtoError(error: unknown): PbProtoError {
  if (error instanceof UserInputError) return protoError(ErrType.USER_ERROR, error.message);
  if (error instanceof CodedError) {
    return protoError(ErrType.CODED_ERROR, error.message, BigInt(error.status));
  }
  // For these the host drops the message and uses its own sentinel error.
  if (error instanceof UnsupportedOperationError) {
    return protoError(ErrType.UNSUPPORTED_OPERATION, "unsupported operation");
  }
  if (error instanceof UnsupportedPathError) {
    return protoError(ErrType.UNSUPPORTED_PATH, "unsupported path");
  }
  if (error instanceof PermissionDeniedError) {
    return protoError(ErrType.PERMISSION_DENIED, "permission denied");
  }
  return protoError(ErrType.UNKNOWN, messageOf(error));
}

/**
 * The HandleRequest reply for an error thrown by the backend: a caller's mistake becomes the Go
 * framework's error response (`logical.ErrorResponse`: data `{"error": message}`, which the host
 * answers with 400 and `{"errors": [message]}`), anything else a ProtoError.
 */
export function handleRequestErrorReply(error: unknown): Message<"pb.HandleRequestReply"> {
  if (error instanceof UserInputError) {
    return { response: responseToPb({ data: { error: error.message } }), err: null };
  }
  return { response: null, err: errorToProtoError(error) };
}
