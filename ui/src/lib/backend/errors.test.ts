import { describe, expect, it } from "vitest";
import { toCommandError } from "./errors";

describe("toCommandError", () => {
  it("keeps a backend error's code and message", () => {
    expect(toCommandError({ code: "wrong_key", message: "Wrong passphrase.", extra: 1 })).toEqual({
      code: "wrong_key",
      message: "Wrong passphrase.",
    });
  });

  it("turns anything else into an internal error", () => {
    expect(toCommandError("IPC closed")).toEqual({ code: "internal", message: "IPC closed" });
    expect(toCommandError(new TypeError("bad"))).toEqual({ code: "internal", message: "bad" });
    expect(toCommandError(undefined)).toEqual({ code: "internal", message: "undefined" });
    expect(toCommandError({ message: "no code" })).toEqual({
      code: "internal",
      message: "[object Object]",
    });
  });
});
