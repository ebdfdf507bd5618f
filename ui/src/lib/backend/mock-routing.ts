// US Direct's rules for an order, as the mock backend checks them before "sending" it: a port of
// `dealer_core::routing` (same rules, same order, same messages), so the window meets the same
// problems in tests as in the app.

import type { Address, RoutingProblem } from "../../bindings";

/** Orders heavier than this are held by US Direct (30 lb). */
export const MAX_WEIGHT_GRAMS = 13_608;

const LOWER_48 = new Set(
  (
    "AL AR AZ CA CO CT DC DE FL GA IA ID IL IN KS KY LA MA MD ME MI MN MO MS MT NC ND NE NH NJ NM " +
    "NV NY OH OK OR PA RI SC SD TN TX UT VA VT WA WI WV WY"
  ).split(" "),
);

export interface RoutedLine {
  sku: string;
  quantity: number;
  unit_weight_grams: number;
}

/** Every rule `ship_to` and `lines` fail; empty when the order can be sent. */
export function routingProblems(
  shipTo: Address,
  lines: RoutedLine[],
  isMapped: (sku: string) => boolean,
): RoutingProblem[] {
  const problems: RoutingProblem[] = [];
  const required: [string, string][] = [
    ["name", shipTo.name],
    ["street address", shipTo.line1],
    ["city", shipTo.city],
    ["state", shipTo.state_code],
    ["ZIP code", shipTo.postal_code],
  ];
  for (const [field, value] of required) {
    if (value.trim() === "") problems.push({ rule: "missing_address_field", field });
  }
  if ((shipTo.phone ?? "").replace(/\D/g, "").length < 10) problems.push({ rule: "missing_phone" });
  const state = shipTo.state_code.trim().toUpperCase();
  const country = shipTo.country_code.trim().toUpperCase();
  const city = shipTo.city.trim().toUpperCase();
  if (["AA", "AE", "AP"].includes(state) || ["APO", "FPO", "DPO"].includes(city)) {
    problems.push({ rule: "military_address" });
  } else if (country !== "US" || (state !== "" && !LOWER_48.has(state))) {
    problems.push({ rule: "outside_lower48", state_code: state, country_code: country });
  }
  if ([shipTo.line1, shipTo.line2].some((line) => line !== null && isPoBox(line))) {
    problems.push({ rule: "po_box" });
  }
  const grams = lines.reduce((sum, line) => sum + line.unit_weight_grams * line.quantity, 0);
  if (grams > MAX_WEIGHT_GRAMS) problems.push({ rule: "overweight", grams });
  for (const line of lines) {
    if (!isMapped(line.sku)) problems.push({ rule: "unmapped_sku", sku: line.sku });
  }
  return problems;
}

/** What the dealer reads for a failed rule, with what to do (`RoutingProblem::message`). */
export function problemMessage(problem: RoutingProblem): string {
  switch (problem.rule) {
    case "outside_lower48":
      return `US Direct ships only to the lower 48 states; this order goes to ${problem.state_code}, ${problem.country_code}. Cancel it, or fulfil it yourself.`;
    case "military_address":
      return "US Direct does not ship to APO, FPO or DPO addresses. Cancel the order, or fulfil it yourself.";
    case "po_box":
      return "US Direct does not ship to PO boxes. Ask the customer for a street address and edit the ship-to.";
    case "overweight":
      return `The order weighs ${(problem.grams / 453.592).toFixed(1)} lb; US Direct holds orders over 30 lb. Release the hold after checking with US Direct, or split the order.`;
    case "unmapped_sku":
      return `SKU ${problem.sku} is not mapped to a US Direct item. Map it in Settings → SKU map.`;
    case "missing_address_field":
      return `The ship-to address has no ${problem.field}. Edit the address.`;
    case "missing_phone":
      return "US Direct needs a phone number for the delivery. Add one to the ship-to address.";
  }
}

/** PO boxes as people write them ("PO Box 12", "P.O. Box", "POB 12", "Box 12"), not "Boxwood". */
export function isPoBox(line: string): boolean {
  const words = line
    .toLowerCase()
    .replace(/[.,#-]/g, " ")
    .split(/\s+/)
    .filter((word) => word !== "");
  const numberAfter = (i: number) => /^\d/.test(words[i + 1] ?? "");
  return words.some((word, i) => {
    if (word === "pobox") return true;
    if (word === "pob") return numberAfter(i);
    if (word !== "box") return false;
    const before = words[i - 1] ?? "";
    const before2 = words[i - 2] ?? "";
    const spelled =
      ["po", "p", "office", "o"].includes(before) && (before !== "o" || before2 === "p");
    return spelled || (i === 0 && numberAfter(i));
  });
}
