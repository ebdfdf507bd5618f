// Money arrives as integer minor units plus an ISO 4217 code. The only arithmetic done on it is
// shifting the decimal point for display, by the currency's own number of digits.

const formatters = new Map<string, Intl.NumberFormat>();

function currencyFormatter(currency: string, locale: string | undefined): Intl.NumberFormat {
  const key = `${locale ?? ""}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: "currency", currency });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** `formatMoney(19633, "USD")` → "$196.33"; `formatMoney(1500, "JPY")` → "¥1,500". */
export function formatMoney(minor: number, currency: string, locale?: string): string {
  let formatter: Intl.NumberFormat;
  try {
    formatter = currencyFormatter(currency, locale);
  } catch {
    // Not a currency Intl knows: show the raw amount rather than guess where the point goes.
    return `${minor} ${currency} (minor units)`;
  }
  const digits = formatter.resolvedOptions().maximumFractionDigits ?? 2;
  return formatter.format(minor / 10 ** digits);
}
