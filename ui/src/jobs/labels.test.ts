import { describe, expect, it } from "vitest";
import { cancelBlocked, jobKindLabel, jobStateLabel, retryBlocked } from "./labels";

describe("job words", () => {
  it("says what a job does", () => {
    expect(jobKindLabel("create_supplier_order")).toBe("Send to US Direct");
    expect(jobKindLabel("authorize_payment")).toBe("Authorize payment");
    expect(jobKindLabel("cancel_supplier_order")).toBe("Cancel at US Direct");
    expect(jobKindLabel("push_tracking")).toBe("Send tracking to your store");
  });

  it("calls a waiting job that was tried before retrying", () => {
    expect(jobStateLabel({ state: "pending", attempts: 0 })).toBe("Waiting");
    expect(jobStateLabel({ state: "pending", attempts: 2 })).toBe("Retrying");
    expect(jobStateLabel({ state: "failed", attempts: 1 })).toBe("Failed");
  });

  it("offers Retry and Cancel only before a job's end, and says why not", () => {
    expect(retryBlocked({ state: "failed" })).toBeNull();
    expect(retryBlocked({ state: "pending" })).toBeNull();
    expect(cancelBlocked({ state: "pending" })).toBeNull();
    expect(retryBlocked({ state: "running" })).toMatch(/^Running now/);
    expect(cancelBlocked({ state: "running" })).toMatch(/^Talking to US Direct/);
    expect(retryBlocked({ state: "succeeded" })).toBe("This job has succeeded");
    expect(cancelBlocked({ state: "cancelled" })).toBe("This job has been cancelled already");
  });
});
