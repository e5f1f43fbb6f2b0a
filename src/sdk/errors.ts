/**
 * Typed errors a backend throws. `src/sdk/pb/errors.ts` maps them to the wire once; handlers
 * never build wire errors. A caller's mistake (`UserInputError`) becomes a 400 naming the field;
 * anything else is a fault (500) unless it is one of the classes below.
 *
 * @module
 */

/** Bad input from the caller: becomes HTTP 400 with the message, and nothing is stored. */
export class UserInputError extends Error {
  /** The request field at fault, when one is. */
  readonly field: string | undefined;

  /**
   * @param message What is wrong, in sentence case without a final period; never a secret.
   * @param options.field The request field at fault.
   */
  constructor(message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "UserInputError";
    this.field = options.field;
  }
}

/** The path does not support the operation: HTTP 405. */
export class UnsupportedOperationError extends Error {
  /** @param message Detail for logs; the host replaces it with "unsupported operation". */
  constructor(message = "unsupported operation") {
    super(message);
    this.name = "UnsupportedOperationError";
  }
}

/** No path matches: HTTP 404. */
export class UnsupportedPathError extends Error {
  /** @param message Detail for logs; the host replaces it with "unsupported path". */
  constructor(message = "unsupported path") {
    super(message);
    this.name = "UnsupportedPathError";
  }
}

/** The caller may not do this: HTTP 403. */
export class PermissionDeniedError extends Error {
  /** @param message Detail for logs; the host replaces it with "permission denied". */
  constructor(message = "permission denied") {
    super(message);
    this.name = "PermissionDeniedError";
  }
}

/** An error with an explicit HTTP status (e.g. 409, 412, 429, 502). */
export class CodedError extends Error {
  /** HTTP status the host answers with. */
  readonly status: number;

  /**
   * @param status HTTP status code.
   * @param message Message shown to the client; never a secret.
   */
  constructor(status: number, message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "CodedError";
    this.status = status;
  }
}

/** A storage call failed on the host; the message is the host's text, kept verbatim. */
export class StorageError extends Error {
  /** @param message The host's error text (core matches substrings of it to forward requests). */
  constructor(message: string) {
    super(message);
    this.name = "StorageError";
  }
}
