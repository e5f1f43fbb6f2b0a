/**
 * The one place where errors become wire types (protocol.md §6.7). A caller's mistake becomes the
 * Go framework's error response (`{"error": message}` data: HTTP 400 with the message); typed
 * errors become their ProtoError types; anything else is a fault (500) carrying its message.
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
import { ErrType, type PbProtoError, type PbResponse } from "./messages.ts";

/** What a failed HandleRequest replies: an error response, or a ProtoError. */
export interface ErrorReply {
  /** Set for user errors: the 400 response. */
  response?: PbResponse;
  /** Set for everything else. */
  err?: PbProtoError;
}

function protoError(type: number, message: string, code = 0): PbProtoError {
  return { err_type: type, err_msg: message, err_code: code };
}

/** Maps an error thrown while handling a request. */
export function requestErrorToPb(error: unknown): ErrorReply {
  if (error instanceof UserInputError) {
    return {
      response: { data: JSON.stringify({ error: error.message }), warnings: [], headers: {} },
    };
  }
  return { err: errorToProtoError(error) };
}

/** Maps an error to a ProtoError; user errors become err_type UserError (400 in existence checks). */
export function errorToProtoError(error: unknown): PbProtoError {
  if (error instanceof UserInputError) return protoError(ErrType.USER_ERROR, error.message);
  if (error instanceof CodedError) {
    return protoError(ErrType.CODED_ERROR, error.message, error.status);
  }
  if (error instanceof UnsupportedOperationError) {
    return protoError(ErrType.UNSUPPORTED_OPERATION, "unsupported operation");
  }
  if (error instanceof UnsupportedPathError) {
    return protoError(ErrType.UNSUPPORTED_PATH, "unsupported path");
  }
  if (error instanceof PermissionDeniedError) {
    return protoError(ErrType.PERMISSION_DENIED, "permission denied");
  }
  const message = error instanceof Error ? error.message : String(error);
  return protoError(ErrType.UNKNOWN, message || "internal error");
}
