// Dollar amounts as the dealer types them ("150", "150.5", "$1,250.00") to integer cents, and
// back. No floating point: the digits are split at the decimal point.

export type AmountResult = { ok: true; minor: number | null } | { ok: false; problem: string };

/** Amounts above this are surely a typo (and stay exact as numbers). */
const MAX_WHOLE_DIGITS = 9;

/** `""` is no limit (null); otherwise a positive amount of at most 2 decimals, in cents. */
export function parseDollars(text: string): AmountResult {
  const cleaned = text
    .trim()
    .replace(/^\$\s*/, "")
    .replace(/,/g, "");
  if (cleaned === "") return { ok: true, minor: null };
  if (/^-/.test(cleaned) || /^\$?-/.test(text.trim())) {
    return { ok: false, problem: "The amount cannot be negative." };
  }
  const match = /^(\d*)(?:\.(\d*))?$/.exec(cleaned);
  if (!match || (match[1] === "" && (match[2] ?? "") === "")) {
    return { ok: false, problem: "Enter an amount in dollars, such as 150 or 150.00." };
  }
  const whole = match[1] ?? "";
  const cents = match[2] ?? "";
  if (cents.length > 2) return { ok: false, problem: "Use at most 2 decimal places (cents)." };
  if (whole.replace(/^0+/, "").length > MAX_WHOLE_DIGITS) {
    return { ok: false, problem: "That amount is too large." };
  }
  const minor = Number(whole || "0") * 100 + Number(cents.padEnd(2, "0"));
  if (minor === 0) {
    return { ok: false, problem: "Enter more than $0.00, or leave it empty for no limit." };
  }
  return { ok: true, minor };
}

/** Cents as the input shows them: 15000 → "150.00"; null → "". */
export function dollarsInput(minor: number | null): string {
  if (minor === null) return "";
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, "0")}`;
}
