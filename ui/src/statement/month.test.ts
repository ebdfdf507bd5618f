import { describe, expect, it } from "vitest";
import { monthInputValue, monthLabel, monthOf, parseMonthInput, shiftMonth } from "./month";

describe("statement month", () => {
  it("steps across a year's end both ways", () => {
    expect(shiftMonth({ year: 2026, month: 12 }, 1)).toEqual({ year: 2027, month: 1 });
    expect(shiftMonth({ year: 2026, month: 1 }, -1)).toEqual({ year: 2025, month: 12 });
    expect(shiftMonth({ year: 2026, month: 11 }, -13)).toEqual({ year: 2025, month: 10 });
  });

  it("reads and writes the month input's value", () => {
    expect(monthInputValue({ year: 2026, month: 3 })).toBe("2026-03");
    expect(parseMonthInput("2026-11")).toEqual({ year: 2026, month: 11 });
    expect(parseMonthInput("2026-13")).toBeNull();
    expect(parseMonthInput("")).toBeNull();
  });

  it("cuts months in UTC and names them", () => {
    expect(monthOf(new Date("2026-11-30T23:59:59Z"))).toEqual({ year: 2026, month: 11 });
    expect(monthLabel({ year: 2026, month: 11 })).toBe("November 2026");
  });
});
