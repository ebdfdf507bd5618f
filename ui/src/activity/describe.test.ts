import { describe, expect, it } from "vitest";
import type { ActivityEntry } from "../bindings";
import { describeOrderEvent, describeSyncRun, newestFirst } from "./describe";

describe("activity descriptions", () => {
  it("names the order, the change and who made it", () => {
    expect(
      describeOrderEvent({
        kind: "order_event",
        at: "2025-11-27T09:00:00Z",
        order_id: 1,
        order_number: "1001",
        from: "imported",
        to: "awaiting_authorization",
        actor: "dealer",
        detail: "",
      }),
    ).toBe("#1001 imported → awaiting authorization by dealer");
  });

  it("leaves out the arrow for an order's first event", () => {
    expect(
      describeOrderEvent({
        kind: "order_event",
        at: "2025-11-27T09:00:00Z",
        order_id: 1,
        order_number: "#1001",
        from: null,
        to: "imported",
        actor: "scheduler",
        detail: "",
      }),
    ).toBe("#1001 imported by scheduler");
  });

  it("counts a sync run's results and shows one still running", () => {
    const run = {
      kind: "sync_run",
      at: "2025-11-27T09:00:00Z",
      trigger: "tray",
      finished_at: "2025-11-27T09:00:02Z",
      imported: 0,
      updated: 0,
      quarantined: 0,
      error: null,
    } as const;
    expect(describeSyncRun(run)).toBe("Order Sync from tray: 0 imported");
    expect(describeSyncRun({ ...run, imported: 2, updated: 1, finished_at: null })).toBe(
      "Order Sync from tray: 2 imported, 1 updated (still running)",
    );
  });

  it("sorts newest first", () => {
    const at = (iso: string): ActivityEntry => ({
      kind: "sync_run",
      at: iso,
      trigger: "schedule",
      finished_at: iso,
      imported: 0,
      updated: 0,
      quarantined: 0,
      error: null,
    });
    const sorted = newestFirst([at("2025-01-01T00:00:00Z"), at("2025-03-01T00:00:00Z")]);
    expect(sorted.map((entry) => entry.at)).toEqual([
      "2025-03-01T00:00:00Z",
      "2025-01-01T00:00:00Z",
    ]);
  });
});
