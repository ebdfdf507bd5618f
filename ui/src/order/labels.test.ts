import { describe, expect, it } from "vitest";
import { actorLabel, describeChange, problemAction, problemTitle, sentence } from "./labels";

describe("order page words", () => {
  it("names who did something the way the dealer knows them", () => {
    expect(
      (["dealer", "auto_rule", "scheduler", "system", "supplier"] as const).map(actorLabel),
    ).toEqual(["You", "Auto Authorize", "Sync", "System", "US Direct"]);
  });

  it("describes a change, a first event and a note", () => {
    expect(describeChange({ from: "imported", to: "awaiting_authorization" })).toBe(
      "Imported → Awaiting authorization",
    );
    expect(describeChange({ from: null, to: "imported" })).toBe("Imported");
    expect(describeChange({ from: "authorized", to: "authorized" })).toBe("Note · Authorized");
  });

  it("picks the Resolve action for each routing problem", () => {
    expect(problemAction({ rule: "po_box" })).toBe("edit_address");
    expect(problemAction({ rule: "outside_lower48", state_code: "AK", country_code: "US" })).toBe(
      "edit_address",
    );
    expect(problemAction({ rule: "missing_address_field", field: "city" })).toBe("edit_address");
    expect(problemAction({ rule: "missing_phone" })).toBe("edit_address");
    expect(problemAction({ rule: "unmapped_sku", sku: "OWN-1" })).toBe("map_sku");
    expect(problemAction({ rule: "overweight", grams: 15_708 })).toBe("release_hold");
    expect(problemTitle({ rule: "overweight", grams: 15_708 })).toBe(
      "Weighs 34.6 lb, over US Direct's 30 lb limit",
    );
    expect(problemTitle({ rule: "outside_lower48", state_code: "AK", country_code: "US" })).toBe(
      "Ships outside the lower 48 states (AK, US)",
    );
  });

  it("turns the backend's messages into sentences", () => {
    expect(sentence("order 1001 authorized for payment")).toBe(
      "Order 1001 authorized for payment.",
    );
    expect(sentence("Done.")).toBe("Done.");
  });
});
