import { describe, expect, it } from "vitest";
import { dollarsInput, parseDollars } from "./amounts";

describe("dollar amounts", () => {
  it("reads dollars and cents as whole cents, without floating point", () => {
    expect(parseDollars("150")).toEqual({ ok: true, minor: 15_000 });
    expect(parseDollars("150.5")).toEqual({ ok: true, minor: 15_050 });
    expect(parseDollars(" $1,250.07 ")).toEqual({ ok: true, minor: 125_007 });
    expect(parseDollars("0.29")).toEqual({ ok: true, minor: 29 });
    expect(parseDollars(".5")).toEqual({ ok: true, minor: 50 });
    expect(parseDollars("19.99")).toEqual({ ok: true, minor: 1_999 });
  });

  it("takes an empty field as no limit", () => {
    expect(parseDollars("")).toEqual({ ok: true, minor: null });
    expect(parseDollars("   ")).toEqual({ ok: true, minor: null });
  });

  it("says what is wrong with anything else", () => {
    const problem = (text: string) => {
      const result = parseDollars(text);
      return result.ok ? null : result.problem;
    };
    expect(problem("-5")).toBe("The amount cannot be negative.");
    expect(problem("$-5")).toBe("The amount cannot be negative.");
    expect(problem("10.005")).toBe("Use at most 2 decimal places (cents).");
    expect(problem("ten")).toBe("Enter an amount in dollars, such as 150 or 150.00.");
    expect(problem("1.2.3")).toBe("Enter an amount in dollars, such as 150 or 150.00.");
    expect(problem(".")).toBe("Enter an amount in dollars, such as 150 or 150.00.");
    expect(problem("0")).toBe("Enter more than $0.00, or leave it empty for no limit.");
    expect(problem("0.00")).toBe("Enter more than $0.00, or leave it empty for no limit.");
    expect(problem("12345678901")).toBe("That amount is too large.");
  });

  it("shows cents back as dollars", () => {
    expect(dollarsInput(15_000)).toBe("150.00");
    expect(dollarsInput(1_999)).toBe("19.99");
    expect(dollarsInput(5)).toBe("0.05");
    expect(dollarsInput(null)).toBe("");
  });
});
