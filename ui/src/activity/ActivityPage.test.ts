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
  channel: "Main store",
  finished_at: "2025-11-27T10:00:03Z",
  imported: 0,
  updated: 0,
  quarantined: 0,
  error: "the store refused the credentials (HTTP 401); check the access token or API keys",
};

const GOOD_RUN: ActivityEntry = {
  kind: "sync_run",
  at: "2025-11-27T09:30:00Z",
  trigger: "schedule",
  channel: "Sandbox Store",
  finished_at: "2025-11-27T09:30:02Z",
  imported: 3,
  updated: 1,
  quarantined: 2,
  error: null,
};

const UNREADABLE: ActivityEntry = {
  kind: "quarantined",
  at: "2025-11-27T09:45:00Z",
  channel: "Sandbox Store",
  channel_order_id: "5012344990",
  reason: 'total_price "19,99" is not an amount in USD',
  excerpt: '{"id":5012344990,"total_price":"19,99"}',
  times_seen: 3,
};

const UNREADABLE_NO_ID: ActivityEntry = {
  kind: "quarantined",
  at: "2025-11-27T09:40:00Z",
  channel: "Sandbox Store",
  channel_order_id: null,
  reason: "the order has no id",
  excerpt: '{"name":"#1090"}',
  times_seen: 1,
};

const ALL = [OLDER_EVENT, NEWER_FAILED_RUN, GOOD_RUN, UNREADABLE, UNREADABLE_NO_ID];

async function openActivity(activity: ActivityEntry[]) {
  const rendered = await renderReadyApp({ activity });
  await rendered.user.click(screen.getByTestId("nav-activity"));
  await screen.findAllByTestId("activity-row");
  return rendered;
}

function rowTexts() {
  return screen.getAllByTestId("activity-row").map((row) => row.textContent ?? "");
}

describe("Activity page", () => {
  it("lists sync runs and order events newest first, errors included", async () => {
    const { backend, user } = await renderReadyApp({ activity: [OLDER_EVENT, NEWER_FAILED_RUN] });
    const recentActivity = vi.spyOn(backend.commands, "recentActivity");

    await user.click(screen.getByTestId("nav-activity"));

    expect(recentActivity).toHaveBeenCalledWith(200);
    const rows = await screen.findAllByTestId("activity-row");
    expect(rows).toHaveLength(2);
    const [first, second] = rows as [HTMLElement, HTMLElement];
    expect(first).toHaveTextContent("Order Sync from tray · Main store: 0 new, 0 updated");
    expect(within(first).getByTestId("activity-error")).toHaveTextContent(
      "Error: the store refused the credentials (HTTP 401); check the access token or API keys",
    );
    expect(first).toHaveTextContent("Failed");
    expect(second).toHaveTextContent("#1001 imported → awaiting authorization by dealer");
    expect(second).toHaveTextContent("Routed to US Direct");
    expect(within(second).queryByTestId("activity-error")).not.toBeInTheDocument();
  });

  it("names the channel of a sync run and counts what could not be read", async () => {
    await openActivity([GOOD_RUN]);

    const row = screen.getByTestId("activity-row");
    expect(row).toHaveTextContent(
      "Order Sync from schedule · Sandbox Store: 3 new, 1 updated, 2 could not be read",
    );
    expect(within(row).queryByTestId("activity-error")).not.toBeInTheDocument();
  });

  it("shows an order that could not be read, with what the store sent", async () => {
    const { user } = await openActivity([UNREADABLE, UNREADABLE_NO_ID]);

    const [seenOften, seenOnce] = screen.getAllByTestId("activity-row") as [
      HTMLElement,
      HTMLElement,
    ];
    expect(seenOften).toHaveTextContent(
      'Order 5012344990 from Sandbox Store could not be read: total_price "19,99" is not an amount in USD',
    );
    expect(within(seenOften).getByTestId("activity-seen")).toHaveTextContent("seen 3 times");
    expect(seenOften).toHaveTextContent("Not imported · seen 3 times.");
    expect(seenOften).toHaveTextContent("Problem");

    const excerpt = within(seenOften).getByTestId("activity-excerpt");
    expect(excerpt).toHaveTextContent('{"id":5012344990,"total_price":"19,99"}');
    expect(excerpt).not.toBeVisible();
    const toggle = within(seenOften).getByText("What the store sent");
    expect(toggle.tagName).toBe("SUMMARY");
    await user.click(toggle);
    expect(excerpt).toBeVisible();

    expect(seenOnce).toHaveTextContent(
      "Order without an id from Sandbox Store could not be read: the order has no id",
    );
    expect(within(seenOnce).queryByTestId("activity-seen")).not.toBeInTheDocument();
  });

  it("filters to sync runs, problems or order changes", async () => {
    const { user } = await openActivity(ALL);
    const filter = screen.getByTestId("activity-filter");
    const option = (name: string) => within(filter).getByRole("radio", { name });
    expect(option("All")).toBeChecked();
    expect(rowTexts()).toHaveLength(5);

    await user.click(option("Sync runs"));
    expect(rowTexts()).toEqual([
      expect.stringContaining("Order Sync from tray · Main store"),
      expect.stringContaining("Order Sync from schedule · Sandbox Store"),
    ]);

    await user.click(option("Problems"));
    expect(rowTexts()).toEqual([
      expect.stringContaining("Order Sync from tray · Main store"),
      expect.stringContaining("Order 5012344990"),
      expect.stringContaining("Order without an id"),
    ]);

    await user.click(option("Order changes"));
    expect(rowTexts()).toEqual([expect.stringContaining("#1001")]);

    await user.click(option("All"));
    expect(rowTexts()).toHaveLength(5);
  });

  it("moves between filters with the arrow keys", async () => {
    const { user } = await openActivity(ALL);
    const filter = screen.getByTestId("activity-filter");
    const all = within(filter).getByRole("radio", { name: "All" });

    all.focus();
    await user.keyboard("{ArrowRight}{ArrowRight}");

    expect(within(filter).getByRole("radio", { name: "Problems" })).toBeChecked();
    expect(rowTexts()).toHaveLength(3);
  });

  it("says so when the filter leaves nothing", async () => {
    const { user } = await openActivity([OLDER_EVENT]);

    await user.click(within(screen.getByTestId("activity-filter")).getByLabelText("Problems"));

    expect(screen.getByTestId("activity-empty")).toHaveTextContent(
      "No problems in the latest activity.",
    );
    expect(screen.queryByTestId("activity-row")).not.toBeInTheDocument();
  });

  it("says so when nothing has happened yet", async () => {
    const { user } = await renderReadyApp({ activity: [] });

    await user.click(screen.getByTestId("nav-activity"));

    expect(await screen.findByTestId("activity-empty")).toHaveTextContent("No activity yet.");
    expect(screen.queryByTestId("activity-row")).not.toBeInTheDocument();
  });

  it("reloads when the backend reports new activity, keeping the filter", async () => {
    const { backend, user } = await renderReadyApp({ activity: [] });
    await user.click(screen.getByTestId("nav-activity"));
    await screen.findByTestId("activity-empty");
    await user.click(within(screen.getByTestId("activity-filter")).getByLabelText("Problems"));
    vi.spyOn(backend.commands, "recentActivity").mockResolvedValue([NEWER_FAILED_RUN, OLDER_EVENT]);

    backend.emit("activity-changed", { reason: "sync_run" });

    await waitFor(() => expect(screen.getAllByTestId("activity-row")).toHaveLength(1));
    expect(screen.getByTestId("activity-row")).toHaveTextContent("Main store");
  });

  it("shows what a tray sync did once it is over", async () => {
    const { backend, user } = await renderReadyApp({
      activity: [],
      malformedOrders: [
        { channel_order_id: "77", reason: "currency is missing", excerpt: '{"id":77}' },
      ],
    });
    await user.click(screen.getByTestId("nav-activity"));
    await screen.findByTestId("activity-empty");

    await backend.runSync("tray");

    await waitFor(() =>
      expect(rowTexts()).toContainEqual(
        expect.stringContaining(
          "Order Sync from tray · Sandbox Store: 1 new, 0 updated, 1 could not be read",
        ),
      ),
    );
    expect(rowTexts()).toContainEqual(
      expect.stringContaining("Order 77 from Sandbox Store could not be read: currency is missing"),
    );
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

describe("Activity page: jobs", () => {
  async function openJobs() {
    const rendered = await renderReadyApp();
    await rendered.user.click(screen.getByTestId("nav-activity"));
    await rendered.user.click(
      within(screen.getByTestId("activity-filter")).getByRole("radio", { name: "Jobs" }),
    );
    await screen.findAllByTestId("job-row");
    return rendered;
  }

  it("lists the latest jobs in words, newest first", async () => {
    const { backend } = await openJobs();
    const listJobs = vi.spyOn(backend.commands, "listJobs");
    backend.emit("activity-changed", { reason: "outbox" });
    await waitFor(() => expect(listJobs).toHaveBeenCalledWith(200));

    const [newest] = screen.getAllByTestId("job-row") as HTMLElement[];
    expect(newest).toHaveTextContent("Send to US Direct");
    expect(within(newest as HTMLElement).getByTestId("job-order")).toHaveTextContent("#1240");
    expect(within(newest as HTMLElement).getByTestId("job-state")).toHaveTextContent("Waiting");
    const kinds = screen.getAllByTestId("job-kind").map((cell) => cell.textContent ?? "");
    expect(kinds.some((kind) => kind.includes("Authorize payment"))).toBe(true);
    expect(kinds.some((kind) => kind.includes("Cancel at US Direct"))).toBe(true);
    // Finished jobs have no actions; open ones have both.
    const done = screen
      .getAllByTestId("job-row")
      .find((row) => row.dataset.state === "succeeded") as HTMLElement;
    expect(within(done).queryByTestId("job-retry")).not.toBeInTheDocument();
    expect(within(newest as HTMLElement).getByTestId("job-retry")).toHaveTextContent("Run now");
  });

  it("retries a failed job and the order goes back on its way", async () => {
    const { backend, user } = await openJobs();
    const retryJob = vi.spyOn(backend.commands, "retryJob");
    const failed = screen
      .getAllByTestId("job-row")
      .find((row) => row.dataset.state === "failed") as HTMLElement;
    expect(within(failed).getByTestId("job-error")).toHaveTextContent(
      "US Direct refused the order (422 item_discontinued)",
    );

    await user.click(within(failed).getByTestId("job-retry"));

    expect(retryJob).toHaveBeenCalledTimes(1);
    await waitFor(() =>
      expect(within(failed).getByTestId("job-state")).toHaveTextContent("Retrying"),
    );
    expect((await backend.commands.getOrder(150)).status).toBe("imported");
  });

  it("cancels a job only after a confirm, and shows why one could not be", async () => {
    const { backend, user } = await openJobs();
    const cancelJob = vi.spyOn(backend.commands, "cancelJob");
    const newest = screen.getAllByTestId("job-row")[0] as HTMLElement;

    await user.click(within(newest).getByTestId("job-cancel"));
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(cancelJob).not.toHaveBeenCalled();

    cancelJob.mockRejectedValueOnce({
      code: "invalid_input",
      message: "job: the job is talking to US Direct right now; cancel it when it is back",
    });
    await user.click(within(newest).getByTestId("job-cancel"));
    await user.click(screen.getByTestId("job-cancel-dialog-confirm"));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The job was not cancelled: job: the job is talking to US Direct right now",
    );

    await user.click(screen.getByTestId("job-cancel-dialog-confirm"));
    await waitFor(() => expect(screen.queryByTestId("job-cancel-dialog")).not.toBeInTheDocument());
    await waitFor(() =>
      expect(
        within(screen.getAllByTestId("job-row")[0] as HTMLElement).getByTestId("job-state"),
      ).toHaveTextContent("Cancelled"),
    );
  });

  it("opens a job's order, and Back returns to Activity", async () => {
    const { user } = await openJobs();

    await user.click(screen.getAllByTestId("job-order")[0] as HTMLElement);

    expect(await screen.findByTestId("order-page")).toBeVisible();
    expect(screen.getByTestId("page-title")).toHaveTextContent("Order #1240");
    expect(screen.getByTestId("order-back")).toHaveTextContent("Back to Activity");
    await user.click(screen.getByTestId("order-back"));
    expect(screen.getByTestId("page-title")).toHaveTextContent("Activity");
  });
});
