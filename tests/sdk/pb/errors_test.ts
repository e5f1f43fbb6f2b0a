import assert from "node:assert/strict";
import {
  CodedError,
  PermissionDeniedError,
  StorageError,
  UnsupportedOperationError,
  UnsupportedPathError,
  UserInputError,
} from "../../../src/sdk/errors.ts";
import { errorToProtoError, handleRequestErrorReply } from "../../../src/sdk/pb/errors.ts";
import { decode, encode } from "../../../src/sdk/pb/codec.ts";

Deno.test("errorToProtoError maps each error class to its wire type", async (t) => {
  const cases: [string, unknown, number, string, bigint][] = [
    [
      "user input -> UserError (400 in existence checks)",
      new UserInputError("bad ttl"),
      1,
      "bad ttl",
      0n,
    ],
    ["coded -> CodedError with the status", new CodedError(409, "conflict"), 3, "conflict", 409n],
    [
      "unsupported operation",
      new UnsupportedOperationError("no patch"),
      5,
      "unsupported operation",
      0n,
    ],
    ["unsupported path", new UnsupportedPathError(), 6, "unsupported path", 0n],
    ["permission denied", new PermissionDeniedError("nope"), 8, "permission denied", 0n],
    [
      "storage error keeps the host's text verbatim",
      new StorageError("cannot write to readonly storage"),
      0,
      "cannot write to readonly storage",
      0n,
    ],
    ["any other Error -> Unknown with its message", new TypeError("boom"), 0, "boom", 0n],
    ["a thrown string", "plain", 0, "plain", 0n],
    ["an Error without a message", new Error(""), 0, "internal error", 0n],
  ];
  for (const [name, error, type, message, code] of cases) {
    await t.step(name, () => {
      assert.deepEqual(errorToProtoError(error), {
        err_type: type,
        err_msg: message,
        err_code: code,
      });
    });
  }
});

Deno.test("handleRequestErrorReply answers a UserInputError the Go way: error data, no err", () => {
  const reply = decode(
    "pb.HandleRequestReply",
    encode("pb.HandleRequestReply", handleRequestErrorReply(new UserInputError("ttl is invalid"))),
  );
  assert.equal(reply.err, null);
  assert.deepEqual(JSON.parse(reply.response!.data), { error: "ttl is invalid" });
});

Deno.test("handleRequestErrorReply puts any other error in err with no response", () => {
  const reply = handleRequestErrorReply(new CodedError(502, "LiteLLM answered 500"));
  assert.equal(reply.response, null);
  assert.deepEqual(reply.err, { err_type: 3, err_msg: "LiteLLM answered 500", err_code: 502n });
});
