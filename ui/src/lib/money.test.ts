import { describe, expect, it } from "vitest";
import { formatMoney } from "./money";

// Intl output uses narrow no-break spaces in some locales; compare with plain spaces.
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("formatMoney", () => {
  it("divides minor units by the currency's two digits for USD", () => {
    expect(formatMoney(19_633, "USD", "en-US")).toBe("$196.33");
    expect(formatMoney(5, "USD", "en-US")).toBe("$0.05");
    expect(formatMoney(0, "USD", "en-US")).toBe("$0.00");
    expect(formatMoney(123_456_789, "USD", "en-US")).toBe("$1,234,567.89");
  });

  it("does not divide a zero-decimal currency such as JPY", () => {
    expect(formatMoney(1_500, "JPY", "en-US")).toBe("¥1,500");
    expect(formatMoney(19_633, "JPY", "ja-JP")).toBe("￥19,633");
  });

  it("uses three digits for KWD", () => {
    expect(plain(formatMoney(1_234, "KWD", "en-US"))).toBe("KWD 1.234");
  });

  it("follows the locale's conventions", () => {
    expect(plain(formatMoney(19_633, "EUR", "de-DE"))).toBe("196,33 €");
  });

  it("formats negative amounts such as refunds", () => {
    expect(formatMoney(-250, "USD", "en-US")).toBe("-$2.50");
  });

  it("uses the default locale when none is given", () => {
    expect(formatMoney(19_633, "USD")).toBe("$196.33");
  });

  it("shows the raw amount for an unknown currency code", () => {
    expect(formatMoney(100, "NOT-A-CODE")).toBe("100 NOT-A-CODE (minor units)");
  });
});
