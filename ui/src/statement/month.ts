// The statement's month: a calendar month in UTC, as the engine's statement is cut.

export interface Month {
  year: number;
  /** 1 to 12. */
  month: number;
}

/** The month `at` falls in, UTC. */
export function monthOf(at: Date): Month {
  return { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1 };
}

/** `delta` months after `from` (before it when negative). */
export function shiftMonth(from: Month, delta: number): Month {
  const index = from.year * 12 + (from.month - 1) + delta;
  return { year: Math.floor(index / 12), month: (index % 12) + 1 };
}

/** The value of an `<input type="month">`: "2026-11". */
export function monthInputValue({ year, month }: Month): string {
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
}

/** An `<input type="month">`'s value read back, or null while it holds no whole month. */
export function parseMonthInput(value: string): Month | null {
  const match = /^(\d{4})-(\d{2})$/.exec(value);
  if (!match) return null;
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  return { year: Number(match[1]), month };
}

const label = new Intl.DateTimeFormat(undefined, {
  month: "long",
  year: "numeric",
  timeZone: "UTC",
});

/** "November 2026". */
export function monthLabel({ year, month }: Month): string {
  return label.format(new Date(Date.UTC(year, month - 1, 1)));
}
