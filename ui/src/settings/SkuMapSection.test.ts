import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { SkuMapping } from "../bindings";
import { fixture } from "../test/fixture";
import { renderReadyApp, type TestBackend } from "../test/render-app";

/** The SKU map while one order waits on the store's own SKU OWN-201. */
function waitingOnOwn201({ commands }: TestBackend) {
  commands.listSkuMap.mockResolvedValue(fixture("skuMap"));
  commands.unmappedSkus.mockResolvedValue(fixture("unmappedSkus"));
  commands.listOrders.mockImplementation(async (query) =>
    query.search === "OWN-201" ? fixture("ordersWaitingOnOwn201") : fixture("orders"),
  );
}

async function openSkuMap(setup: (backend: TestBackend) => void = waitingOnOwn201) {
  const rendered = await renderReadyApp(setup);
  await rendered.user.click(screen.getByTestId("nav-settings"));
  await screen.findAllByTestId("sku-map-row");
  return rendered;
}

/** Each mapping as "store → US Direct". */
function rows() {
  return screen.getAllByTestId("sku-map-row").map((row) => {
    const store = within(row).getByTestId("sku-map-row-store").textContent;
    const supplier = within(row).queryByTestId("sku-map-row-supplier")?.textContent;
    return `${store} → ${supplier ?? "(editing)"}`;
  });
}

/** `mappings` with `store` mapped to `supplier`, as the map reads after an edit. */
function edited(mappings: SkuMapping[], store: string, supplier: string): SkuMapping[] {
  return mappings.map((m) => (m.store_sku === store ? { ...m, supplier_sku: supplier } : m));
}

describe("Settings: SKU map", () => {
  it("lists store SKU → US Direct SKU and the SKUs orders wait on", async () => {
    const { backend } = await openSkuMap();

    expect(rows()).toHaveLength(13);
    expect(rows()[0]).toBe("OWN-305 → USD-9999");
    expect(rows()[1]).toBe("USD-1001 → USD-1001");
    const waiting = await screen.findByTestId("sku-map-waiting");
    await waitFor(() => expect(waiting).toHaveTextContent("1 order waits on this SKU:"));
    expect(backend.commands.listOrders).toHaveBeenCalledWith({
      status: "not_for_us_direct",
      search: "OWN-201",
      limit: 1,
      offset: 0,
    });
    expect(
      screen.getAllByTestId("sku-map-suggestion").map((button) => button.textContent?.trim()),
    ).toEqual(["OWN-201 · 1 order"]);
  });

  it("adds a mapping from a suggestion", async () => {
    const { backend, user } = await openSkuMap();
    await screen.findAllByTestId("sku-map-suggestion");
    backend.commands.setSkuMapping.mockResolvedValue(fixture("skuMappingAdded"));
    backend.commands.listSkuMap.mockResolvedValue(fixture("skuMapMapped"));
    backend.commands.unmappedSkus.mockResolvedValue(fixture("unmappedSkusNone"));

    await user.click(screen.getByRole("button", { name: "Map OWN-201" }));
    expect(screen.getByTestId("sku-map-store")).toHaveValue("OWN-201");
    expect(screen.getByTestId("sku-map-supplier")).toHaveFocus();
    await user.type(screen.getByTestId("sku-map-supplier"), "USD-1006{Enter}");

    expect(backend.commands.setSkuMapping).toHaveBeenCalledWith("OWN-201", "USD-1006");
    await waitFor(() => expect(rows()).toContain("OWN-201 → USD-1006"));
    expect(screen.getByTestId("sku-map-added")).toHaveTextContent("OWN-201 → USD-1006 is mapped.");
    await waitFor(() => expect(screen.queryByTestId("sku-map-waiting")).not.toBeInTheDocument());
  });

  it("checks both SKUs before adding, and shows the backend's refusal", async () => {
    const { backend, user } = await openSkuMap();
    const setSkuMapping = backend.commands.setSkuMapping;

    await user.type(screen.getByTestId("sku-map-store"), "two words");
    await user.click(screen.getByTestId("sku-map-add"));
    expect(screen.getByText("A SKU has no spaces.")).toBeVisible();
    expect(screen.getByText("Type the SKU.")).toBeVisible();
    expect(setSkuMapping).not.toHaveBeenCalled();

    setSkuMapping.mockRejectedValueOnce(fixture("errorDatabase"));
    await user.clear(screen.getByTestId("sku-map-store"));
    await user.type(screen.getByTestId("sku-map-store"), "OWN-9");
    await user.type(screen.getByTestId("sku-map-supplier"), "USD-1001");
    await user.click(screen.getByTestId("sku-map-add"));
    expect(setSkuMapping).toHaveBeenCalledWith("OWN-9", "USD-1001");
    expect(await screen.findByTestId("sku-map-error")).toHaveTextContent(
      "Not mapped: The database failed: attempted to acquire a connection on a closed pool",
    );
  });

  it("edits a mapping in place and removes another", async () => {
    const { backend, user } = await openSkuMap();
    const [first] = screen.getAllByTestId("sku-map-row") as HTMLElement[];
    const mapped = edited(fixture("skuMap"), "OWN-305", "USD-1010");
    backend.commands.setSkuMapping.mockResolvedValue({
      ...fixture("skuMappingAdded"),
      store_sku: "OWN-305",
      supplier_sku: "USD-1010",
    });
    backend.commands.listSkuMap.mockResolvedValue(mapped);

    await user.click(within(first as HTMLElement).getByTestId("sku-map-edit"));
    const input = within(first as HTMLElement).getByTestId("sku-map-edit-input");
    expect(input).toHaveFocus();
    await user.clear(input);
    await user.type(input, "USD-1010{Enter}");
    expect(backend.commands.setSkuMapping).toHaveBeenCalledWith("OWN-305", "USD-1010");
    await waitFor(() => expect(rows()[0]).toBe("OWN-305 → USD-1010"));

    await user.click(within(first as HTMLElement).getByTestId("sku-map-edit"));
    await user.keyboard("{Escape}");
    expect(
      within(first as HTMLElement).queryByTestId("sku-map-edit-input"),
    ).not.toBeInTheDocument();

    backend.commands.removeSkuMapping.mockResolvedValue(null);
    backend.commands.listSkuMap.mockResolvedValue(
      mapped.filter((mapping) => mapping.store_sku !== "USD-1008"),
    );
    await user.click(screen.getByRole("button", { name: "Remove the mapping of USD-1008" }));
    expect(backend.commands.removeSkuMapping).toHaveBeenCalledWith("USD-1008");
    await waitFor(() => expect(rows()).toHaveLength(12));
  });

  it("exports the map through the save dialog; a cancel shows nothing", async () => {
    const { backend, user } = await openSkuMap();
    backend.commands.exportSkuMapCsv.mockResolvedValueOnce(null);
    await user.click(screen.getByTestId("sku-export"));
    await waitFor(() => expect(screen.getByTestId("sku-export")).toBeEnabled());
    expect(screen.queryByTestId("sku-csv-result")).toBeNull();
    expect(screen.queryByTestId("sku-csv-error")).toBeNull();

    backend.commands.exportSkuMapCsv.mockResolvedValueOnce({
      rows: 13,
      path: "/home/dee/Documents/sku-map.csv",
    });
    await user.click(screen.getByTestId("sku-export"));
    expect(await screen.findByTestId("sku-csv-result")).toHaveTextContent(
      "Saved 13 mappings to …/Documents/sku-map.csv",
    );
  });
});
