import { screen, waitFor, within } from "@testing-library/svelte";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Statement, StatementInvoice } from "../bindings";
import { fixture } from "../test/fixture";
import { deferred, renderReadyApp, type TestBackend } from "../test/render-app";
import { forgetMonth } from "./remembered";

/** November 2026 as the engine answers it: two USD invoices (one paid with a 2.50 shipping
 * surcharge), a declined one, and a CAD invoice with a 1.25 credit. */
const INVOICES: StatementInvoice[] = [
  {
    order_id: 11,
    order_number: "#1011",
    invoice_id: "INV-200011",
    currency: "USD",
    items_minor: 1001,
    shipping_minor: 799,
    total_minor: 1800,
    status: "authorized",
    dated_at: "2026-11-03T10:00:00Z",
    authorized_at: "2026-11-03T10:00:00Z",
    paid_at: null,
    declined_at: null,
    adjustments: [],
  },
  {
    order_id: 14,
    order_number: "#1014",
    invoice_id: "INV-200014",
    currency: "CAD",
    items_minor: 5000,
    shipping_minor: 1500,
    total_minor: 6500,
    status: "authorized",
    dated_at: "2026-11-10T00:00:00Z",
    authorized_at: "2026-11-10T00:00:00Z",
    paid_at: null,
    declined_at: null,
    adjustments: [{ kind: "shipping_credit", description: "Shipping credit", amount_minor: -125 }],
  },
  {
    order_id: 13,
    order_number: "#1013",
    invoice_id: "INV-200013",
    currency: "USD",
    items_minor: 700,
    shipping_minor: 300,
    total_minor: 1000,
    status: "declined",
    dated_at: "2026-11-15T08:00:00Z",
    authorized_at: null,
    paid_at: null,
    declined_at: "2026-11-15T08:00:00Z",
    adjustments: [],
  },
  {
    order_id: 12,
    order_number: "#1012",
    invoice_id: "INV-200012",
    currency: "USD",
    items_minor: 3333,
    shipping_minor: 1,
    total_minor: 3334,
    status: "paid",
    dated_at: "2026-11-30T23:59:59Z",
    authorized_at: "2026-11-30T23:59:59Z",
    paid_at: "2026-12-02T09:00:00Z",
    declined_at: null,
    adjustments: [
      { kind: "shipping_surcharge", description: "Shipping surcharge", amount_minor: 250 },
    ],
  },
];

const NOVEMBER: Statement = {
  environment: "live",
  from: "2026-11-01T00:00:00Z",
  to: "2026-12-01T00:00:00Z",
  invoices: INVOICES,
  invoice_count: 4,
  cap: 2000,
  totals: [
    {
      currency: "CAD",
      all: {
        invoices: 1,
        items_minor: 5000,
        shipping_minor: 1500,
        adjustments_minor: -125,
        total_minor: 6375,
      },
      charged: {
        invoices: 1,
        items_minor: 5000,
        shipping_minor: 1500,
        adjustments_minor: -125,
        total_minor: 6375,
      },
    },
    {
      currency: "USD",
      all: {
        invoices: 3,
        items_minor: 5034,
        shipping_minor: 1100,
        adjustments_minor: 250,
        total_minor: 6384,
      },
      charged: {
        invoices: 2,
        items_minor: 4334,
        shipping_minor: 800,
        adjustments_minor: 250,
        total_minor: 5384,
      },
    },
  ],
};

function emptyMonth(from: string, to: string): Statement {
  return { environment: "live", from, to, invoices: [], invoice_count: 0, cap: 2000, totals: [] };
}

const cells = (row: HTMLElement) =>
  within(row)
    .getAllByRole("cell")
    .map((cell) => cell.textContent?.trim() ?? "");

async function openStatement(setup: (backend: TestBackend) => void) {
  const rendered = await renderReadyApp(setup);
  await rendered.user.click(screen.getByTestId("nav-statement"));
  return rendered;
}

describe("Statement page", () => {
  beforeEach(() => {
    forgetMonth();
    vi.useFakeTimers({ toFake: ["Date"], now: new Date("2026-11-20T12:00:00Z") });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it("lists the month's invoices with their adjustment lines, status chips and totals", async () => {
    const { backend } = await openStatement(({ commands }) => {
      commands.statement.mockResolvedValue(NOVEMBER);
    });

    expect(backend.commands.statement).toHaveBeenCalledWith(2026, 11);
    const table = await screen.findByTestId("statement-table");
    const rows = within(table).getAllByRole("row").slice(1);
    // Each invoice, with its surcharge or credit on the line under it.
    expect(rows.map((row) => row.dataset.testid)).toEqual([
      "statement-invoice",
      "statement-invoice",
      "statement-adjustment",
      "statement-invoice",
      "statement-invoice",
      "statement-adjustment",
      "statement-total",
      "statement-charged",
      "statement-total",
      "statement-charged",
    ]);
    const [first, canadian, credit, declined, paid, surcharge] = rows as HTMLElement[];
    expect(cells(first as HTMLElement)).toEqual(
      expect.arrayContaining(["#1011", "INV-200011", "Authorized", "$10.01", "$7.99", "$18.00"]),
    );
    expect(cells(canadian as HTMLElement)).toEqual(expect.arrayContaining(["CA$65.00"]));
    expect(cells(credit as HTMLElement)).toEqual(["", "Shipping credit", "-CA$1.25", "-CA$1.25"]);
    expect(within(declined as HTMLElement).getByTestId("statement-status")).toHaveTextContent(
      "Declined",
    );
    expect(within(paid as HTMLElement).getByTestId("statement-status")).toHaveTextContent("Paid");
    expect(cells(surcharge as HTMLElement)).toEqual(["", "Shipping surcharge", "$2.50", "$2.50"]);

    // Totals as the engine summed them: every invoice, and what hit the card.
    const [, , usdAll, usdCharged] = rows.slice(6) as HTMLElement[];
    expect(usdAll).toHaveTextContent("All invoices, USD (3 invoices)");
    expect(cells(usdAll as HTMLElement)).toEqual(["$50.34", "$11.00", "$2.50", "$63.84"]);
    expect(usdCharged).toHaveTextContent(
      "Charged to your card (authorized and paid), USD (2 invoices)",
    );
    expect(cells(usdCharged as HTMLElement)).toEqual(["$43.34", "$8.00", "$2.50", "$53.84"]);
    expect(screen.queryByTestId("statement-capped")).not.toBeInTheDocument();
    expect(screen.queryByTestId("statement-sandbox")).not.toBeInTheDocument();
  });

  it("exports the month shown to CSV through the save dialog", async () => {
    const { backend, user } = await openStatement(({ commands }) => {
      commands.statement.mockResolvedValue(NOVEMBER);
      commands.exportStatementCsv.mockResolvedValue({
        rows: 4,
        path: "/home/dealer/statement-2026-10.csv",
      });
    });
    await screen.findByTestId("statement-table");

    // Back a month, then export: the month on screen is the one written.
    await user.click(screen.getByRole("button", { name: /previous month/i }));
    await user.click(screen.getByTestId("statement-export"));

    expect(backend.commands.exportStatementCsv).toHaveBeenCalledWith(2026, 10, false);
    expect(await screen.findByText(/Saved 4 invoices to/)).toBeVisible();
  });

  it("says a rehearsal's invoices charged no card", async () => {
    await openStatement(({ commands }) => {
      commands.statement.mockResolvedValue({ ...NOVEMBER, environment: "sandbox" });
    });

    expect(await screen.findByTestId("statement-sandbox")).toHaveTextContent(
      "Invoices from the sandbox US Direct: no card was charged.",
    );
  });

  it("opens an invoice's order from its number", async () => {
    const { backend, user } = await openStatement(({ commands }) => {
      commands.statement.mockResolvedValue(NOVEMBER);
      commands.getOrder.mockResolvedValue(fixture("orderCompleted"));
    });

    const [, , , paid] = await screen.findAllByTestId("statement-order");
    await user.click(paid as HTMLElement);

    expect(await screen.findByTestId("order-page")).toBeVisible();
    expect(backend.commands.getOrder).toHaveBeenCalledWith(12);
  });

  it("steps between months with the buttons and the month input, and says when one is empty", async () => {
    const { backend, user } = await openStatement(({ commands }) => {
      commands.statement.mockImplementation(async (year, month) =>
        year === 2026 && month === 11
          ? NOVEMBER
          : emptyMonth(`${year}-${month}-01T00:00:00Z`, `${year}-${month}-28T00:00:00Z`),
      );
    });
    await screen.findByTestId("statement-table");

    await user.click(screen.getByRole("button", { name: "Next month" }));
    expect(backend.commands.statement).toHaveBeenLastCalledWith(2026, 12);
    expect(await screen.findByTestId("statement-empty")).toHaveTextContent(
      "No US Direct invoices in December 2026",
    );
    expect(screen.getByLabelText("Month")).toHaveValue("2026-12");

    // Back across the year's end from the keyboard.
    const previous = screen.getByRole("button", { name: "Previous month" });
    previous.focus();
    await user.keyboard("{Enter}");
    await user.keyboard("{Enter}");
    expect(backend.commands.statement).toHaveBeenLastCalledWith(2026, 10);

    const input = screen.getByLabelText("Month");
    await user.clear(input);
    await user.type(input, "2025-12");
    input.dispatchEvent(new Event("change", { bubbles: true }));
    await waitFor(() => expect(backend.commands.statement).toHaveBeenLastCalledWith(2025, 12));
    expect(await screen.findByTestId("statement-empty")).toHaveTextContent(
      "No US Direct invoices in December 2025",
    );
  });

  it("shows loading, then an error with a retry that loads again", async () => {
    const first = deferred<Statement>();
    const { backend, user } = await openStatement(({ commands }) => {
      commands.statement.mockReturnValueOnce(first.promise).mockResolvedValue(NOVEMBER);
    });

    expect(await screen.findByTestId("statement-loading")).toHaveTextContent(
      "Loading the statement",
    );
    first.reject({ code: "database", message: "the store is locked" });
    const alert = await screen.findByTestId("statement-error");
    expect(alert).toHaveTextContent(
      "The statement for November 2026 could not be loaded: the store is locked",
    );

    await user.click(within(alert).getByRole("button", { name: "Try again" }));
    expect(await screen.findByTestId("statement-table")).toBeVisible();
    expect(backend.commands.statement).toHaveBeenCalledTimes(2);
  });

  it("says when a month passed the cap that the totals still cover every invoice", async () => {
    await openStatement(({ commands }) => {
      commands.statement.mockResolvedValue({ ...NOVEMBER, invoice_count: 2345 });
    });

    expect(await screen.findByTestId("statement-capped")).toHaveTextContent(
      "Showing the first 4 of 2,345 invoices. The totals cover all of them",
    );
  });
});
