import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { SeenSku } from "../bindings";
import { fixture } from "../test/fixture";
import { renderReadyApp, type TestBackend } from "../test/render-app";

/** The recorded seen SKUs, plus two US Direct carries (as a match answers for them). */
function seenWithMatches(): SeenSku[] {
  const own = fixture("seenSkusMatched")[0];
  if (!own) throw new Error("the fixture has no seen SKU");
  const carried = (store_sku: string, title: string): SeenSku => ({
    ...own,
    store_sku,
    orders: 3,
    lines: 4,
    waiting_orders: 2,
    us_direct: { carried: true, title, checked_at: own.us_direct?.checked_at ?? "" },
  });
  return [carried("USD-2001", "Garden Kneeler Pad"), carried("USD-2002", "Insulated Tumbler"), own];
}

async function openSettings(setup: (backend: TestBackend) => void) {
  const rendered = await renderReadyApp(setup);
  await rendered.user.click(screen.getByTestId("nav-settings"));
  return rendered;
}

function answers() {
  return screen.getAllByTestId("seen-sku-row").map((row) => {
    const sku = within(row).getByTestId("seen-sku").textContent;
    return `${sku}: ${within(row).getByTestId("seen-sku-answer").textContent}`;
  });
}

describe("Settings: SKUs seen in orders", () => {
  it("lists the unmapped SKUs with their orders and lines, not matched yet", async () => {
    await openSettings(({ commands }) => {
      commands.seenSkus.mockResolvedValue(fixture("seenSkus"));
    });
    const row = await screen.findByTestId("seen-sku-row");
    expect(row).toHaveTextContent("OWN-201");
    expect(answers()).toEqual(["OWN-201: Not matched yet"]);
    expect(screen.getByTestId("sku-confirm")).toHaveTextContent("Confirm 0 matches");
    expect(screen.getByTestId("sku-confirm")).toBeDisabled();
  });

  it("matches with US Direct showing progress, then confirms the matches in one go", async () => {
    let finish: (value: unknown) => void = () => {};
    const { backend, user } = await openSettings(({ commands }) => {
      commands.seenSkus.mockResolvedValue(fixture("seenSkus"));
      commands.matchSeenSkus.mockImplementation(
        () => new Promise((resolve) => (finish = resolve as (value: unknown) => void)),
      );
      commands.stopSkuMatch.mockResolvedValue(null);
    });
    await screen.findByTestId("seen-sku-row");

    await user.click(screen.getByTestId("sku-match"));
    expect(screen.getByTestId("sku-match")).toHaveTextContent("Matching…");
    backend.emit("sku-match-progress", { done: 120, total: 500, asked: 118 });
    await waitFor(() =>
      expect(screen.getByTestId("sku-match-progress")).toHaveTextContent(
        "Asked US Direct about 120 of 500 SKUs…",
      ),
    );
    await user.click(screen.getByTestId("sku-match-stop"));
    expect(backend.commands.stopSkuMatch).toHaveBeenCalledOnce();

    backend.commands.seenSkus.mockResolvedValue(seenWithMatches());
    finish(fixture("skuMatchReport"));
    await waitFor(() =>
      expect(screen.getByTestId("sku-confirm")).toHaveTextContent("Confirm 2 matches"),
    );
    expect(answers()).toEqual([
      "USD-2001: US Direct carries it: Garden Kneeler Pad",
      "USD-2002: US Direct carries it: Insulated Tumbler",
      "OWN-201: US Direct does not carry it",
    ]);

    backend.commands.confirmSkuMatches.mockResolvedValue([
      { store_sku: "USD-2001", supplier_sku: "USD-2001", updated_at: "2025-11-27T09:12:00Z" },
      { store_sku: "USD-2002", supplier_sku: "USD-2002", updated_at: "2025-11-27T09:12:00Z" },
    ]);
    backend.commands.seenSkus.mockResolvedValue(fixture("seenSkusMatched"));
    const mapCalls = backend.commands.listSkuMap.mock.calls.length;
    await user.click(screen.getByTestId("sku-confirm"));
    expect(backend.commands.confirmSkuMatches).toHaveBeenCalledWith(null);
    await waitFor(() =>
      expect(screen.getByTestId("sku-confirmed")).toHaveTextContent("2 SKUs are mapped"),
    );
    expect(answers()).toEqual(["OWN-201: US Direct does not carry it"]);
    expect(backend.commands.listSkuMap.mock.calls.length).toBeGreaterThan(mapCalls);
  });

  it("says why a match could not run", async () => {
    const { user } = await openSettings(({ commands }) => {
      commands.seenSkus.mockResolvedValue(fixture("seenSkus"));
      commands.matchSeenSkus.mockRejectedValue({
        code: "invalid_input",
        message:
          "supplier: US Direct cannot be reached to check the SKU: connect your US Direct account in Settings → US Direct account (or `dealer supplier connect`); nothing was saved",
      });
    });
    await screen.findByTestId("seen-sku-row");
    await user.click(screen.getByTestId("sku-match"));
    expect(await screen.findByTestId("sku-match-error")).toHaveTextContent(
      "The match did not run: supplier: US Direct cannot be reached",
    );
  });

  it("imports a CSV file and shows every bad row when it is refused", async () => {
    const { backend, user } = await openSettings(() => {});
    await screen.findByTestId("sku-csv");
    backend.commands.importSkuMapCsv.mockRejectedValueOnce({
      code: "invalid_input",
      message:
        "csv: 2 rows cannot be imported, so nothing was saved; fix them and import the file again:\nline 3: supplier_sku: is empty; type the SKU\nline 4: US Direct does not carry UD-NOPE: check the SKU in US Direct's catalog",
    });
    const file = new File(["store_sku,supplier_sku\nA,USD-1001\nB,\nC,UD-NOPE\n"], "map.csv", {
      type: "text/csv",
    });
    await user.upload(screen.getByTestId("sku-import-file"), file);
    expect(backend.commands.importSkuMapCsv).toHaveBeenCalledWith(
      "store_sku,supplier_sku\nA,USD-1001\nB,\nC,UD-NOPE\n",
    );
    const error = await screen.findByTestId("sku-csv-error");
    expect(error).toHaveTextContent("line 3: supplier_sku: is empty");
    expect(error).toHaveTextContent("line 4: US Direct does not carry UD-NOPE");

    backend.commands.importSkuMapCsv.mockResolvedValueOnce({ mapped: 2, routed_again: 1 });
    await user.upload(screen.getByTestId("sku-import-file"), file);
    expect(await screen.findByTestId("sku-csv-result")).toHaveTextContent(
      "2 rows were mapped from map.csv.",
    );
  });
});
