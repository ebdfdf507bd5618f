// Timestamps arrive as UTC ISO 8601 strings and are shown in the dealer's local time.

const shortDateTime = new Intl.DateTimeFormat(undefined, {
  dateStyle: "short",
  timeStyle: "short",
});

const fullDateTime = new Intl.DateTimeFormat(undefined, {
  dateStyle: "full",
  timeStyle: "long",
});

function parse(iso: string): Date | null {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Local date and time, short: "11/27/25, 9:00 AM" in en-US. Unparseable input is shown as is. */
export function formatShortDateTime(iso: string): string {
  const date = parse(iso);
  return date ? shortDateTime.format(date) : iso;
}

/** Local date and time in full, for tooltips. */
export function formatFullDateTime(iso: string): string {
  const date = parse(iso);
  return date ? fullDateTime.format(date) : iso;
}
