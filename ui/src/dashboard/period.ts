// The Dashboard's period: a few presets and a custom from–to, as the dealer's local days
// ("YYYY-MM-DD"), which is what `DashboardQuery` takes.

export type PeriodPreset = "last7" | "last30" | "last90" | "this_month" | "last_month" | "custom";

export interface Period {
  preset: PeriodPreset;
  /** First local day, inclusive. */
  from: string;
  /** Last local day, inclusive. */
  to: string;
}

export const PRESETS: { id: PeriodPreset; label: string }[] = [
  { id: "last7", label: "Last 7 days" },
  { id: "last30", label: "Last 30 days" },
  { id: "last90", label: "Last 90 days" },
  { id: "this_month", label: "This month" },
  { id: "last_month", label: "Last month" },
  { id: "custom", label: "Custom" },
];

/** The local day of `date` as "YYYY-MM-DD". */
export function localDay(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, "0");
  const day = String(date.getDate()).padStart(2, "0");
  return `${date.getFullYear()}-${month}-${day}`;
}

/** The days of a preset ending on (or containing) `today`; custom keeps `current`'s days. */
export function periodFor(preset: PeriodPreset, today: Date, current?: Period): Period {
  const y = today.getFullYear();
  const m = today.getMonth();
  const d = today.getDate();
  const span = (days: number) => ({
    from: localDay(new Date(y, m, d - (days - 1))),
    to: localDay(today),
  });
  switch (preset) {
    case "last7":
      return { preset, ...span(7) };
    case "last30":
      return { preset, ...span(30) };
    case "last90":
      return { preset, ...span(90) };
    case "this_month":
      return { preset, from: localDay(new Date(y, m, 1)), to: localDay(today) };
    case "last_month":
      return { preset, from: localDay(new Date(y, m - 1, 1)), to: localDay(new Date(y, m, 0)) };
    case "custom":
      return { preset, from: current?.from ?? span(30).from, to: current?.to ?? span(30).to };
  }
}

/** The longest period drawn: two years, a leap day included (see docs/ARCHITECTURE.md). */
export const MAX_PERIOD_DAYS = 731;

/** Why a custom period cannot be shown, or null. */
export function periodProblem(from: string, to: string): string | null {
  const day = /^\d{4}-\d{2}-\d{2}$/;
  if (!day.test(from) || !day.test(to)) return "Pick both a from and a to day.";
  if (from > to) return "The from day is after the to day: swap them.";
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_PERIOD_DAYS) {
    return `Pick at most two years (${MAX_PERIOD_DAYS} days); export the orders as CSV for longer.`;
  }
  return null;
}
