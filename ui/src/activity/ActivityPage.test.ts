import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { ActivityEntry } from "../bindings";
import { fixture } from "../test/fixture";
import { renderReadyApp } from "../test/render-app";
import type { OrderEvent, Quarantined, SyncRun } from "./describe";

const ACTIVITY = fixture("activity");

function find<T extends ActivityEntry>(test: (entry: ActivityEntry) => boolean): T {
  const found = ACTIVITY.find(test);
  if (!found) throw new Error("no such entry in the activity fixture");
  return found as T;
}

/** The live store's Order Sync, refused by the store. */
const FAILED_RUN = find<SyncRun>((entry) => entry.kind === "sync_run" && entry.error !== null);
/** The tray's Order Sync: a cancellation and two fulfilments came in. */
const TRAY_RUN = find<SyncRun>((entry) => entry.kind === "sync_run" && entry.trigger === "tray");
const UNREADABLE = find<Quarantined>((entry) => entry.kind === "quarantined");
/** US Direct cancelled its order after the store's cancellation. */
const EVENT = find<OrderEvent>(
  (entry) => entry.kind === "order_event" && entry.detail.startsWith("US Direct cancelled"),
);

async function openActivity(activity: ActivityEntry[]) {
  const rendered = await renderReadyApp(({ commands }) => {
    commands.recentActivity.mockResolvedValue(activity);
  });
  await rendered.user.click(screen.getByTestId("nav-activity"));
  await screen.findAllByTestId("activity-row");
  return rendered;
}

function rowTexts() {
  return screen.getAllByTestId("activity-row").map((row) => row.textContent ?? "");
}

describe("Activity page", () => {
  it("lists sync runs and order events newest first, errors included", async () => {
    const { backend, user } = await renderReadyApp(({ commands }) => {
      commands.recentActivity.mockResolvedValue([EVENT, FAILED_RUN]);
    });

    await user.click(screen.getByTestId("nav-activity"));

    expect(backend.commands.recentActivity).toHaveBeenCalledWith(200);
    const rows = await screen.findAllByTestId("activity-row");
    expect(rows).toHaveLength(2);
    const [first, second] = rows as [HTMLElement, HTMLElement];
    expect(first).toHaveTextContent("Order Sync from window · Main store: 0 new, 0 updated");
    expect(within(first).getByTestId("activity-error")).toHaveTextContent(
      "Error: the store refused the credentials ([API] Invalid API key or access token (unrecognized login or wrong password)); check the access token or API keys",
    );
    expect(first).toHaveTextContent("Failed");
    expect(second).toHaveTextContent("#1009 (cancelled) by US Direct");
    expect(second).toHaveTextContent("US Direct cancelled its order USD-ORD-100003");
    expect(within(second).queryByTestId("activity-error")).not.toBeInTheDocument();
  });

  it("names the channel of a sync run and counts what could not be read", async () => {
    await openActivity([TRAY_RUN]);

    const row = screen.getByTestId("activity-row");
    expect(row).toHaveTextContent(
      "Order Sync from tray · Sandbox Store: 0 new, 2 updated, 1 could not be read",
    );
    expect(within(row).queryByTestId("activity-error")).not.toBeInTheDocument();
  });

  it("shows an order that could not be read, with what the store sent", async () => {
    // The same entry as if the store had sent no id and it was seen once.
    const noId: Quarantined = {
      ...UNREADABLE,
      at: "2025-11-27T09:00:00Z",
      channel_order_id: null,
      times_seen: 1,
    };
    const { user } = await openActivity([UNREADABLE, noId]);

    const [seenOften, seenOnce] = screen.getAllByTestId("activity-row") as [
      HTMLElement,
      HTMLElement,
    ];
    expect(seenOften).toHaveTextContent(
      `Order gid://shopify/Order/5730000001018 from Sandbox Store could not be read: ${UNREADABLE.reason}`,
    );
    // Every later Order Sync of that store saw it again.
    expect(UNREADABLE.times_seen).toBeGreaterThan(1);
    const seen = `seen ${UNREADABLE.times_seen} times`;
    expect(within(seenOften).getByTestId("activity-seen")).toHaveTextContent(seen);
    expect(seenOften).toHaveTextContent(`Not imported · ${seen}.`);
    expect(seenOften).toHaveTextContent("Problem");

    const excerpt = within(seenOften).getByTestId("activity-excerpt");
    expect(excerpt).toHaveTextContent('"amount":"not-a-number"');
    expect(excerpt).not.toBeVisible();
    const toggle = within(seenOften).getByText("What the store sent");
    expect(toggle.tagName).toBe("SUMMARY");
    await user.click(toggle);
    expect(excerpt).toBeVisible();

    expect(seenOnce).toHaveTextContent(
      `Order without an id from Sandbox Store could not be read: ${UNREADABLE.reason}`,
    );
    expect(within(seenOnce).queryByTestId("activity-seen")).not.toBeInTheDocument();
  });

  it("filters to sync runs, problems or order changes", async () => {
    const { user } = await openActivity(ACTIVITY);
    const filter = screen.getByTestId("activity-filter");
    const option = (name: string) => within(filter).getByRole("radio", { name });
    expect(option("All")).toBeChecked();
    expect(rowTexts()).toHaveLength(ACTIVITY.length);

    await user.click(option("Sync runs"));
    const runs = ACTIVITY.filter((e) => e.kind === "sync_run").length;
    expect(runs).toBeGreaterThan(1);
    expect(runs).toBeLessThan(ACTIVITY.length);
    expect(rowTexts()).toHaveLength(runs);
    expect(rowTexts().every((text) => text.includes("Order Sync from"))).toBe(true);

    await user.click(option("Problems"));
    expect(rowTexts()).toEqual([
      expect.stringContaining("Order Sync from window · Main store"),
      expect.stringContaining("Order gid://shopify/Order/5730000001018"),
    ]);

    await user.click(option("Order changes"));
    expect(rowTexts()).toHaveLength(ACTIVITY.filter((e) => e.kind === "order_event").length);
    expect(rowTexts().every((text) => /#10\d\d/.test(text))).toBe(true);

    await user.click(option("All"));
    expect(rowTexts()).toHaveLength(ACTIVITY.length);
  });

  it("moves between filters with the arrow keys", async () => {
    const { user } = await openActivity(ACTIVITY);
    const filter = screen.getByTestId("activity-filter");
    const all = within(filter).getByRole("radio", { name: "All" });

    all.focus();
    await user.keyboard("{ArrowRight}{ArrowRight}");

    expect(within(filter).getByRole("radio", { name: "Problems" })).toBeChecked();
    expect(rowTexts()).toHaveLength(2);
  });

  it("says so when the filter leaves nothing", async () => {
    const { user } = await openActivity([EVENT]);

    await user.click(within(screen.getByTestId("activity-filter")).getByLabelText("Problems"));

    expect(screen.getByTestId("activity-empty")).toHaveTextContent(
      "No problems in the latest activity.",
    );
    expect(screen.queryByTestId("activity-row")).not.toBeInTheDocument();
  });

  it("says so when nothing has happened yet", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      commands.recentActivity.mockResolvedValue([]);
    });

    await user.click(screen.getByTestId("nav-activity"));

    expect(await screen.findByTestId("activity-empty")).toHaveTextContent("No activity yet.");
    expect(screen.queryByTestId("activity-row")).not.toBeInTheDocument();
  });

  it("reloads when the backend reports new activity, keeping the filter", async () => {
    const { backend, user } = await renderReadyApp(({ commands }) => {
      commands.recentActivity.mockResolvedValue([]);
    });
    await user.click(screen.getByTestId("nav-activity"));
    await screen.findByTestId("activity-empty");
    await user.click(within(screen.getByTestId("activity-filter")).getByLabelText("Problems"));
    backend.commands.recentActivity.mockResolvedValue([FAILED_RUN, EVENT]);

    backend.emit("activity-changed", { reason: "order_sync" });

    await waitFor(() => expect(screen.getAllByTestId("activity-row")).toHaveLength(1));
    expect(screen.getByTestId("activity-row")).toHaveTextContent("Main store");
  });

  it("shows what a tray sync did once the backend says it is over", async () => {
    const { backend, user } = await renderReadyApp(({ commands }) => {
      commands.recentActivity.mockResolvedValue([]);
    });
    await user.click(screen.getByTestId("nav-activity"));
    await screen.findByTestId("activity-empty");
    backend.commands.recentActivity.mockResolvedValue([TRAY_RUN, UNREADABLE]);

    backend.emit("activity-changed", { reason: "order_sync" });

    await waitFor(() =>
      expect(rowTexts()).toContainEqual(
        expect.stringContaining(
          "Order Sync from tray · Sandbox Store: 0 new, 2 updated, 1 could not be read",
        ),
      ),
    );
    expect(rowTexts()).toContainEqual(
      expect.stringContaining("from Sandbox Store could not be read: unexpected order shape"),
    );
  });

  it("shows a load failure as an alert", async () => {
    const { user } = await renderReadyApp(({ commands }) => {
      // Anything the transport throws is shown, not only a `{ code, message }`.
      commands.recentActivity.mockRejectedValue("socket closed");
    });

    await user.click(screen.getByTestId("nav-activity"));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Activity could not be loaded: socket closed",
    );
  });
});

describe("Activity page: jobs", () => {
  async function openJobs(jobs = fixture("jobs")) {
    const rendered = await renderReadyApp(({ commands }) => {
      commands.listJobs.mockResolvedValue(jobs);
    });
    await rendered.user.click(screen.getByTestId("nav-activity"));
    await rendered.user.click(
      within(screen.getByTestId("activity-filter")).getByRole("radio", { name: "Jobs" }),
    );
    await screen.findAllByTestId("job-row");
    return rendered;
  }

  it("lists the latest jobs in words, newest first", async () => {
    const { backend } = await openJobs();
    backend.commands.listJobs.mockClear();
    backend.emit("activity-changed", { reason: "outbox" });
    await waitFor(() => expect(backend.commands.listJobs).toHaveBeenCalledWith(200));

    const [newest] = screen.getAllByTestId("job-row") as HTMLElement[];
    expect(newest).toHaveTextContent("Authorize payment");
    expect(within(newest as HTMLElement).getByTestId("job-order")).toHaveTextContent("#1016");
    expect(within(newest as HTMLElement).getByTestId("job-state")).toHaveTextContent("Waiting");
    const kinds = screen.getAllByTestId("job-kind").map((cell) => cell.textContent ?? "");
    expect(kinds.some((kind) => kind.includes("Send to US Direct"))).toBe(true);
    expect(kinds.some((kind) => kind.includes("Cancel at US Direct"))).toBe(true);
    expect(kinds.some((kind) => kind.includes("Send tracking to your store"))).toBe(true);
    // Finished jobs have no actions; open ones have both.
    const done = screen
      .getAllByTestId("job-row")
      .find((row) => row.dataset.state === "succeeded") as HTMLElement;
    expect(within(done).queryByTestId("job-retry")).not.toBeInTheDocument();
    expect(within(newest as HTMLElement).getByTestId("job-retry")).toHaveTextContent("Run now");
  });

  it("retries a failed job, and the new attempt is listed", async () => {
    const { backend, user } = await openJobs(fixture("jobsBeforeRetry"));
    backend.commands.retryJob.mockResolvedValue(fixture("jobRetried"));
    const failed = screen
      .getAllByTestId("job-row")
      .find((row) => row.dataset.state === "failed") as HTMLElement;
    expect(within(failed).getByTestId("job-order")).toHaveTextContent("#1007");
    expect(within(failed).getByTestId("job-error")).toHaveTextContent(
      "US Direct refused it: SKU USD-9999 is not in the catalog. (unknown_sku)",
    );
    backend.commands.listJobs.mockResolvedValue(fixture("jobsAfterRetry"));

    await user.click(within(failed).getByTestId("job-retry"));

    expect(backend.commands.retryJob).toHaveBeenCalledWith(3);
    await waitFor(() =>
      expect(screen.getAllByTestId("job-row")[0]).toHaveAttribute("data-job-id", "21"),
    );
    const [retried] = screen.getAllByTestId("job-row") as HTMLElement[];
    expect(within(retried as HTMLElement).getByTestId("job-order")).toHaveTextContent("#1007");
    expect(within(retried as HTMLElement).getByTestId("job-state")).toHaveTextContent("Waiting");
  });

  it("cancels a job only after a confirm, and shows why one could not be", async () => {
    const { backend, user } = await openJobs(fixture("jobsBeforeCancel"));
    const cancelJob = backend.commands.cancelJob;
    const newest = screen.getAllByTestId("job-row")[0] as HTMLElement;

    await user.click(within(newest).getByTestId("job-cancel"));
    await user.click(screen.getByRole("button", { name: "Cancel" }));
    expect(cancelJob).not.toHaveBeenCalled();

    cancelJob.mockRejectedValueOnce(fixture("errorJobFinished"));
    await user.click(within(newest).getByTestId("job-cancel"));
    await user.click(screen.getByTestId("job-cancel-dialog-confirm"));
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The job was not cancelled: job: the job has succeeded already",
    );

    cancelJob.mockResolvedValue(fixture("jobCancelled"));
    backend.commands.listJobs.mockResolvedValue(fixture("jobsAfterCancel"));
    await user.click(screen.getByTestId("job-cancel-dialog-confirm"));
    expect(cancelJob).toHaveBeenLastCalledWith(20);
    await waitFor(() => expect(screen.queryByTestId("job-cancel-dialog")).not.toBeInTheDocument());
    await waitFor(() =>
      expect(
        within(screen.getAllByTestId("job-row")[0] as HTMLElement).getByTestId("job-state"),
      ).toHaveTextContent("Cancelled"),
    );
  });

  it("opens a job's order, and Back returns to Activity", async () => {
    const { backend, user } = await openJobs();
    backend.commands.getOrder.mockResolvedValue(fixture("orderYen"));

    await user.click(screen.getAllByTestId("job-order")[0] as HTMLElement);

    expect(await screen.findByTestId("order-page")).toBeVisible();
    expect(backend.commands.getOrder).toHaveBeenCalledWith(16);
    await waitFor(() => expect(screen.getByTestId("page-title")).toHaveTextContent("Order #1016"));
    expect(screen.getByTestId("order-back")).toHaveTextContent("Back to Activity");
    await user.click(screen.getByTestId("order-back"));
    expect(screen.getByTestId("page-title")).toHaveTextContent("Activity");
  });
});
