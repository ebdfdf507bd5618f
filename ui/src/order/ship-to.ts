// The ship-to form's values and the checks it makes before sending (the backend checks again,
// then routes the order against US Direct's rules).

import type { Address, ShipToInput } from "../bindings";

export type ShipToField =
  | "name"
  | "line1"
  | "line2"
  | "city"
  | "state_code"
  | "postal_code"
  | "country_code"
  | "phone";

export type ShipToValues = Record<ShipToField, string>;

export function valuesOf(address: Address): ShipToValues {
  return {
    name: address.name,
    line1: address.line1,
    line2: address.line2 ?? "",
    city: address.city,
    state_code: address.state_code,
    postal_code: address.postal_code,
    country_code: address.country_code || "US",
    phone: address.phone ?? "",
  };
}

const REQUIRED: [ShipToField, string][] = [
  ["name", "Enter the recipient's name."],
  ["line1", "Enter the street address."],
  ["city", "Enter the city."],
  ["state_code", "Enter the state, such as CA."],
  ["postal_code", "Enter the ZIP code."],
];

/** What to fix before the form can be sent, by field. */
export function shipToProblems(values: ShipToValues): Partial<Record<ShipToField, string>> {
  const problems: Partial<Record<ShipToField, string>> = {};
  for (const [field, message] of REQUIRED) {
    if (values[field].trim() === "") problems[field] = message;
  }
  if (!/^[A-Za-z]{2}$/.test(values.country_code.trim())) {
    problems.country_code = "Use a two-letter country code, such as US.";
  }
  const digits = values.phone.replace(/\D/g, "").length;
  if (values.phone.trim() !== "" && digits < 10) {
    problems.phone = "US Direct needs a phone number with at least 10 digits.";
  }
  return problems;
}

export function shipToInput(values: ShipToValues): ShipToInput {
  const optional = (value: string) => (value.trim() === "" ? null : value.trim());
  return {
    name: values.name.trim(),
    line1: values.line1.trim(),
    line2: optional(values.line2),
    city: values.city.trim(),
    state_code: values.state_code.trim().toUpperCase(),
    postal_code: values.postal_code.trim(),
    country_code: values.country_code.trim().toUpperCase(),
    phone: optional(values.phone),
  };
}
