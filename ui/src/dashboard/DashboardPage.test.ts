import { fireEvent, screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { DashboardQuery } from "../bindings";
import { emptyDashboard, sampleDashboard } from "../test/dashboard";
import { fixture } from "../test/fixture";
import { deferred, renderReadyApp, type TestBackend } from "../test/render-app";

// "Today" is Mon 23 Nov 2026, so Last 7 days is 17–23 Nov: the sample's week.
const TODAY = new Date(2026, 10, 23, 10, 30);

async function openDashboard(setup: (backend: TestBackend) => void = () => {}) {
  const rendered = await renderReadyApp(setup);
  await rendered.user.click(screen.getByTestId("nav-dashboard"));
  return rendered;
}

/** Opens the Dashboard on the sample's week (Last 7 days). */
async function openSampleWeek() {
  const rendered = await openDashboard(({ commands }) => {
    commands.dashboard.mockImplementation(async (query) => sampleDashboard(query));
  });
  await rendered.user.click(screen.getByTestId("dashboard-period-last7"));
  await waitFor(() => expect(screen.getAllByTestId("chart-orders-point")).toHaveLength(7));
  return rendered;
}

function lastQuery(backend: TestBackend): DashboardQuery {
  const calls = backend.commands.dashboard.mock.calls;
  return calls[calls.length - 1]?.[0] as DashboardQuery;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(TODAY);
});

afterEach(() => {
  vi.useRealTimers();
});

describe("the Dashboard", () => {
  it("shows the Sandbox's own figures, labelled so, for the last 30 days at first", async () => {
    const { backend } = await openDashboard();

    expect(screen.getByTestId("page-title")).toHaveTextContent("Dashboard");
    expect(await screen.findByTestId("dashboard-sandbox-note")).toHaveTextContent(
      "Sandbox figures",
    );
    expect(backend.commands.dashboard).toHaveBeenCalledWith({
      environment: "sandbox",
      from: "2026-10-25",
      to: "2026-11-23",
      bucket: "day",
    });
  });

  it("renders the engine's figures: totals, needs-you counts, statuses, lead times and the cap", async () => {
    await openSampleWeek();

    expect(screen.getByTestId("kpi-orders")).toHaveTextContent("11");
    expect(screen.getByTestId("kpi-revenue")).toHaveTextContent("$1,095.00");
    expect(screen.getByTestId("kpi-cost")).toHaveTextContent("$712.50");
    expect(screen.getByTestId("kpi-margin")).toHaveTextContent("$382.50");
    expect(screen.getByTestId("kpi-margin-basis")).toHaveTextContent(
      "On 8 orders US Direct invoiced",
    );

    const count = (key: string) =>
      within(screen.getByTestId(`dashboard-needs-${key}`)).getByTestId("dashboard-needs-count");
    expect(count("needs_attention")).toHaveTextContent("1");
    expect(count("late")).toHaveTextContent("2");
    expect(count("stuck")).toHaveTextContent("0");

    expect(screen.getByTestId("funnel-awaiting_authorization")).toHaveTextContent(
      /Awaiting authorization\s*4/,
    );
    expect(screen.getByTestId("funnel-shipped")).toHaveTextContent(/Shipped\s*6/);
    expect(screen.queryByTestId("funnel-completed")).not.toBeInTheDocument();

    expect(screen.getByTestId("lead-authorized")).toHaveTextContent("1.5 h");
    expect(screen.getByTestId("lead-authorized")).toHaveTextContent("p90 8.5 h");
    expect(screen.getByTestId("lead-tracking")).toHaveTextContent("2.1 days");
    expect(screen.getByTestId("lead-completed")).toHaveTextContent("—");

    expect(screen.getByTestId("dashboard-cap")).toHaveTextContent("Daily cap $500.00");
    expect(screen.getByTestId("chart-spend-reference")).toBeInTheDocument();
    // Money per day over the week: one point a day, empty days included.
    expect(screen.getAllByTestId("chart-money-point")).toHaveLength(7);
  });

  it("asks the engine again when the period or the grouping changes", async () => {
    const { backend, user } = await openDashboard();
    await waitFor(() => expect(backend.commands.dashboard).toHaveBeenCalledTimes(1));

    await user.click(screen.getByTestId("dashboard-period-last7"));
    await waitFor(() =>
      expect(lastQuery(backend)).toMatchObject({ from: "2026-11-17", to: "2026-11-23" }),
    );

    await user.click(screen.getByTestId("dashboard-period-this_month"));
    await waitFor(() =>
      expect(lastQuery(backend)).toMatchObject({ from: "2026-11-01", to: "2026-11-23" }),
    );

    await user.click(screen.getByTestId("dashboard-period-last_month"));
    await waitFor(() =>
      expect(lastQuery(backend)).toMatchObject({ from: "2026-10-01", to: "2026-10-31" }),
    );

    await user.click(screen.getByTestId("dashboard-period-custom"));
    await fireEvent.input(screen.getByTestId("dashboard-from"), {
      target: { value: "2026-09-03" },
    });
    await fireEvent.change(screen.getByTestId("dashboard-from"));
    await waitFor(() =>
      expect(lastQuery(backend)).toMatchObject({ from: "2026-09-03", to: "2026-10-31" }),
    );

    await user.click(screen.getByTestId("bucket-week"));
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ bucket: "week" }));
    expect(lastQuery(backend).environment).toBe("sandbox");
  });

  it("moves between presets with the arrow keys, as one radio group", async () => {
    const { backend, user } = await openDashboard();
    screen.getByTestId("dashboard-period-last30").focus();

    await user.keyboard("{ArrowLeft}");

    expect(screen.getByTestId("dashboard-period-last7")).toHaveFocus();
    await waitFor(() => expect(lastQuery(backend)).toMatchObject({ from: "2026-11-17" }));
  });

  it("refuses a custom period that ends before it starts, and says why", async () => {
    const { backend, user } = await openDashboard();
    await user.click(screen.getByTestId("dashboard-period-custom"));
    const calls = backend.commands.dashboard.mock.calls.length;

    await fireEvent.input(screen.getByTestId("dashboard-to"), { target: { value: "2026-10-01" } });
    await fireEvent.change(screen.getByTestId("dashboard-to"));

    expect(screen.getByTestId("dashboard-period-problem")).toHaveTextContent(
      "The from day is after the to day",
    );
    expect(backend.commands.dashboard).toHaveBeenCalledTimes(calls);
  });

  it("opens the Orders list filtered from each needs-you count", async () => {
    const { backend, user } = await openSampleWeek();

    await user.click(screen.getByTestId("dashboard-needs-late"));

    expect(screen.getByTestId("page-title")).toHaveTextContent("Orders");
    await waitFor(() =>
      expect(backend.commands.listOrders).toHaveBeenLastCalledWith(
        expect.objectContaining({ flag: "late", environment: "sandbox" }),
      ),
    );

    await user.click(screen.getByTestId("nav-dashboard"));
    await user.click(await screen.findByTestId("dashboard-needs-needs_attention"));
    await waitFor(() =>
      expect(backend.commands.listOrders).toHaveBeenLastCalledWith(
        expect.objectContaining({ status: "needs_attention", environment: "sandbox" }),
      ),
    );
    expect(backend.commands.listOrders.mock.lastCall?.[0]).not.toHaveProperty("flag");
  });

  it("opens the Orders list at a status from the funnel", async () => {
    const { backend, user } = await openSampleWeek();

    await user.click(screen.getByTestId("funnel-shipped"));

    await waitFor(() =>
      expect(backend.commands.listOrders).toHaveBeenLastCalledWith(
        expect.objectContaining({ status: "shipped", environment: "sandbox" }),
      ),
    );
  });

  it("reaches a chart with Tab, moves through its days with the arrow keys and reads out each", async () => {
    const { user } = await openSampleWeek();
    const readout = screen.getByTestId("chart-orders-readout");
    expect(readout).toHaveAttribute("aria-live", "polite");

    screen.getByTestId("chart-orders-table-toggle").focus();
    await user.tab();
    const points = screen.getAllByTestId("chart-orders-point");
    expect(points[0]).toHaveFocus();
    expect(readout).toHaveTextContent("Tue, Nov 17, 2026: Shopify Main 3, Woo Outlet 1, total 4");
    expect(screen.getByTestId("chart-orders-tooltip")).toHaveTextContent("Total 4");

    await user.keyboard("{ArrowRight}");
    expect(points[1]).toHaveFocus();
    expect(readout).toHaveTextContent("Wed, Nov 18, 2026: Shopify Main 2, Woo Outlet 0, total 2");

    await user.keyboard("{End}");
    expect(points[6]).toHaveFocus();
    expect(readout).toHaveTextContent("Mon, Nov 23, 2026: Shopify Main 0, Woo Outlet 0, total 0");

    await user.keyboard("{Home}{ArrowRight}{ArrowRight}{ArrowRight}");
    expect(readout).toHaveTextContent("Fri, Nov 20, 2026: Shopify Main 0, Woo Outlet 5, total 5");
    // One Tab stop per chart: the next Tab leaves it.
    expect(points[3]).toHaveAttribute("tabindex", "0");
    expect(points.filter((p) => p.getAttribute("tabindex") === "0")).toHaveLength(1);
  });

  it("shows a point's numbers on hover, money formatted in its currency", async () => {
    const { user } = await openSampleWeek();

    await user.hover(screen.getAllByTestId("chart-spend-point")[3] as Element);

    expect(screen.getByTestId("chart-spend-tooltip")).toHaveTextContent("$612.40");
    expect(screen.getByTestId("chart-spend-tooltip")).toHaveTextContent("Daily cap $500.00");

    // Lead times: drawn in days here (a p90 passes three days), read in words.
    await user.hover(screen.getAllByTestId("chart-lead-point")[0] as Element);
    expect(screen.getByTestId("chart-lead-tooltip")).toHaveTextContent(
      /Week of Mon, Nov 16, 2026\s*Median\s*1\.5 h\s*90th percentile\s*8\.5 h/,
    );
    await user.click(screen.getByTestId("milestone-tracking"));
    await user.hover(screen.getAllByTestId("chart-lead-point")[0] as Element);
    expect(screen.getByTestId("chart-lead-tooltip")).toHaveTextContent(
      /Median\s*2\.1 days.*3\.5 days/,
    );
  });

  it("shows a chart as a table on request", async () => {
    const { user } = await openSampleWeek();

    await user.click(screen.getByTestId("chart-money-table-toggle"));

    const table = screen.getByTestId("chart-money-table");
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(8);
    expect(rows[4]).toHaveTextContent(/Fri, Nov 20, 2026\s*\$615\.00\s*\$410\.00\s*\$205\.00/);
    expect(screen.getByTestId("chart-money-table-toggle")).toHaveAttribute("aria-pressed", "true");
  });

  it("says what to do when there are no orders yet", async () => {
    const { backend, user } = await openDashboard(({ commands }) => {
      commands.orderSync.mockResolvedValue({ channels: [], message: "Nothing new" } as never);
    });

    const empty = await screen.findByTestId("dashboard-empty");
    expect(empty).toHaveTextContent("No Sandbox orders yet");
    await user.click(within(empty).getByTestId("dashboard-order-sync"));
    expect(backend.commands.orderSync).toHaveBeenCalled();

    await user.click(within(empty).getByTestId("dashboard-test-order"));
    expect(screen.getByTestId("page-title")).toHaveTextContent("Onboarding");
  });

  it("shows that it is loading, then the figures", async () => {
    const answer = deferred<ReturnType<typeof sampleDashboard>>();
    await openDashboard(({ commands }) => {
      commands.dashboard.mockReturnValue(answer.promise);
    });

    expect(screen.getByTestId("dashboard-loading")).toHaveTextContent("Loading the figures");
    answer.resolve(
      emptyDashboard({
        environment: "sandbox",
        from: "2026-10-25",
        to: "2026-11-23",
        bucket: "day",
      }),
    );
    expect(await screen.findByTestId("dashboard-empty")).toBeVisible();
    expect(screen.queryByTestId("dashboard-loading")).not.toBeInTheDocument();
  });

  it("says clearly when the figures cannot be loaded, and tries again", async () => {
    const { backend, user } = await openDashboard(({ commands }) => {
      commands.dashboard.mockRejectedValueOnce({ code: "database", message: "the store is busy" });
    });

    const alert = await screen.findByTestId("dashboard-error");
    expect(alert).toHaveTextContent("The Dashboard could not be loaded: the store is busy");

    await user.click(within(alert).getByRole("button", { name: "Try again" }));

    expect(await screen.findByTestId("dashboard-empty")).toBeVisible();
    expect(screen.queryByTestId("dashboard-error")).not.toBeInTheDocument();
    expect(backend.commands.dashboard).toHaveBeenCalledTimes(2);
  });

  it("loads once when the window opens on it, and again when the count that needs the dealer changes", async () => {
    const count = deferred<{ count: number }>();
    const { backend } = await renderReadyApp(({ commands }) => {
      const sandbox = fixture("appStatusSandbox");
      if (sandbox.state !== "ready") throw new Error("the fixture is a ready status");
      commands.appStatus.mockResolvedValue({ ...sandbox, onboarding_complete: true });
      commands.needsYouCount.mockReturnValue(count.promise);
    });
    expect(screen.getByTestId("page-title")).toHaveTextContent("Dashboard");
    await waitFor(() => expect(backend.commands.dashboard).toHaveBeenCalledTimes(1));

    // The count arrives after the Dashboard asked: learning it is no change to load again for.
    count.resolve({ count: 3 });
    expect(await screen.findByTestId("sidebar-needs-you-count")).toHaveTextContent("3");
    expect(backend.commands.dashboard).toHaveBeenCalledTimes(1);

    backend.emit("needs-you-changed", { count: 4 });
    await waitFor(() => expect(backend.commands.dashboard).toHaveBeenCalledTimes(2));
  });

  it("reloads when the engine says orders changed", async () => {
    const { backend } = await openDashboard();
    await waitFor(() => expect(backend.commands.dashboard).toHaveBeenCalledTimes(1));
    backend.commands.dashboard.mockImplementation(async (query) => sampleDashboard(query));

    backend.emit("activity-changed", { reason: "order_sync" });

    await waitFor(() => expect(backend.commands.dashboard).toHaveBeenCalledTimes(2));
    expect(await screen.findByTestId("kpi-orders")).toHaveTextContent("11");
  });
});
