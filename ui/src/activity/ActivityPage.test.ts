import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { ActivityEntry } from "../bindings";
import { renderReadyApp } from "../test/render-app";

const OLDER_EVENT: ActivityEntry = {
  kind: "order_event",
  at: "2025-11-27T09:00:00Z",
  order_id: 1,
  order_number: "1001",
  from: "imported",
  to: "awaiting_authorization",
  actor: "dealer",
  detail: "Routed to US Direct",
};

const NEWER_FAILED_RUN: ActivityEntry = {
  kind: "sync_run",
  at: "2025-11-27T10:00:00Z",
  trigger: "tray",
  finished_at: "2025-11-27T10:00:03Z",
  imported: 0,
  updated: 0,
  quarantined: 0,
  error: "Shopify answered 401: check the access token",
};

describe("Activity page", () => {
  it("lists sync runs and order events newest first, errors included", async () => {
    const { backend, user } = await renderReadyApp({ activity: [OLDER_EVENT, NEWER_FAILED_RUN] });
    const recentActivity = vi.spyOn(backend.commands, "recentActivity");

    await user.click(screen.getByTestId("nav-activity"));

    expect(recentActivity).toHaveBeenCalledWith(200);
    const rows = await screen.findAllByTestId("activity-row");
    expect(rows).toHaveLength(2);
    const [first, second] = rows as [HTMLElement, HTMLElement];
    expect(first).toHaveTextContent("Order Sync from tray: 0 imported");
    expect(within(first).getByTestId("activity-error")).toHaveTextContent(
      "Error: Shopify answered 401: check the access token",
    );
    expect(second).toHaveTextContent("#1001 imported → awaiting authorization by dealer");
    expect(second).toHaveTextContent("Routed to US Direct");
    expect(within(second).queryByTestId("activity-error")).not.toBeInTheDocument();
  });

  it("says so when nothing has happened yet", async () => {
    const { user } = await renderReadyApp({ activity: [] });

    await user.click(screen.getByTestId("nav-activity"));

    expect(await screen.findByTestId("activity-empty")).toHaveTextContent("No activity yet.");
    expect(screen.queryByTestId("activity-row")).not.toBeInTheDocument();
  });

  it("reloads when the backend reports new activity", async () => {
    const { backend, user } = await renderReadyApp({ activity: [] });
    await user.click(screen.getByTestId("nav-activity"));
    await screen.findByTestId("activity-empty");
    vi.spyOn(backend.commands, "recentActivity").mockResolvedValue([NEWER_FAILED_RUN]);

    backend.emit("activity-changed", { reason: "sync_run" });

    await waitFor(() => expect(screen.getAllByTestId("activity-row")).toHaveLength(1));
  });

  it("shows a load failure as an alert", async () => {
    const { backend, user } = await renderReadyApp();
    vi.spyOn(backend.commands, "recentActivity").mockRejectedValue("socket closed");

    await user.click(screen.getByTestId("nav-activity"));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Activity could not be loaded: socket closed",
    );
  });
});
