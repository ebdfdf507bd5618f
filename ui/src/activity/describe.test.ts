import { describe, expect, it } from "vitest";
import type { ActivityEntry } from "../bindings";
import {
  describeIncident,
  describeOrderEvent,
  describeQuarantined,
  describeSyncRun,
  type Incident,
  isProblem,
  matchesFilter,
  newestFirst,
  type OrderEvent,
  type Quarantined,
  type SyncRun,
} from "./describe";

const RUN: SyncRun = {
  kind: "sync_run",
  at: "2025-11-27T09:00:00Z",
  trigger: "tray",
  channel: "Sandbox Store",
  finished_at: "2025-11-27T09:00:02Z",
  imported: 3,
  updated: 1,
  quarantined: 0,
  error: null,
};

const QUARANTINED: Quarantined = {
  kind: "quarantined",
  at: "2025-11-27T09:00:01Z",
  channel: "Main store",
  channel_order_id: "5012",
  reason: "total_price is not a number",
  excerpt: '{"id":5012}',
  times_seen: 1,
};

const RESTART: Incident = {
  kind: "incident",
  at: "2025-11-27T09:00:03Z",
  source: "outbox",
  detail:
    "The worker that sends orders to US Direct and tracking to the store stopped (panicked: bad answer) and was started again; nothing is lost, it picks up where it stopped",
};

const ORDER_EVENT: OrderEvent = {
  kind: "order_event",
  at: "2025-11-27T09:00:00Z",
  order_id: 1,
  order_number: "1001",
  from: "imported",
  to: "awaiting_authorization",
  actor: "dealer",
  detail: "",
};

describe("activity descriptions", () => {
  it("names the order, the change and who made it", () => {
    expect(describeOrderEvent(ORDER_EVENT)).toBe(
      "#1001 imported → awaiting authorization by dealer",
    );
  });

  it("leaves out the arrow for an order's first event", () => {
    expect(
      describeOrderEvent({
        ...ORDER_EVENT,
        order_number: "#1001",
        from: null,
        to: "imported",
        actor: "scheduler",
      }),
    ).toBe("#1001 imported by scheduler");
  });

  it("names a sync run's trigger and channel and counts what it did", () => {
    expect(describeSyncRun(RUN)).toBe("Order Sync from tray · Sandbox Store: 3 new, 1 updated");
    expect(describeSyncRun({ ...RUN, imported: 0, updated: 0, quarantined: 2 })).toBe(
      "Order Sync from tray · Sandbox Store: 0 new, 0 updated, 2 could not be read",
    );
    expect(describeSyncRun({ ...RUN, trigger: "schedule", finished_at: null })).toBe(
      "Order Sync from schedule · Sandbox Store: 3 new, 1 updated (still running)",
    );
  });

  it("says so when a run had no channel to import from", () => {
    expect(describeSyncRun({ ...RUN, channel: null, imported: 0, updated: 0 })).toBe(
      "Order Sync from tray: no sales channel was connected",
    );
  });

  it("describes an order that could not be read, with or without its id", () => {
    expect(describeQuarantined(QUARANTINED)).toBe(
      "Order 5012 from Main store could not be read: total_price is not a number",
    );
    expect(describeQuarantined({ ...QUARANTINED, channel_order_id: null })).toBe(
      "Order without an id from Main store could not be read: total_price is not a number",
    );
  });

  it("tells of background work that stopped, and of a change from US Direct it could not apply", () => {
    expect(describeIncident(RESTART)).toBe(RESTART.detail);
    const change = "US Direct's change for order #1001 could not be read and was not applied: x";
    expect(describeIncident({ ...RESTART, source: "supplier_change", detail: change })).toBe(
      change,
    );
  });

  it("counts quarantined orders, failed runs and restarts as problems", () => {
    expect(isProblem(QUARANTINED)).toBe(true);
    expect(isProblem(RESTART)).toBe(true);
    expect(isProblem({ ...RUN, error: "Main store: the store refused the credentials" })).toBe(
      true,
    );
    expect(isProblem(RUN)).toBe(false);
    expect(isProblem(ORDER_EVENT)).toBe(false);
  });

  it("filters by kind", () => {
    const all: ActivityEntry[] = [RUN, QUARANTINED, ORDER_EVENT, RESTART];
    const kinds = (filter: Parameters<typeof matchesFilter>[1]) =>
      all.filter((entry) => matchesFilter(entry, filter)).map((entry) => entry.kind);
    expect(kinds("all")).toEqual(["sync_run", "quarantined", "order_event", "incident"]);
    expect(kinds("sync")).toEqual(["sync_run"]);
    expect(kinds("problems")).toEqual(["quarantined", "incident"]);
    expect(kinds("orders")).toEqual(["order_event"]);
  });

  it("sorts newest first", () => {
    const at = (iso: string): ActivityEntry => ({ ...RUN, at: iso });
    const sorted = newestFirst([at("2025-01-01T00:00:00Z"), at("2025-03-01T00:00:00Z")]);
    expect(sorted.map((entry) => entry.at)).toEqual([
      "2025-03-01T00:00:00Z",
      "2025-01-01T00:00:00Z",
    ]);
  });
});
