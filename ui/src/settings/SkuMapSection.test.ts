import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { renderReadyApp } from "../test/render-app";

async function openSkuMap() {
  const rendered = await renderReadyApp();
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

describe("Settings: SKU map", () => {
  it("lists store SKU → US Direct SKU and the SKUs orders wait on", async () => {
    await openSkuMap();

    expect(rows()).toHaveLength(8);
    expect(rows()[0]).toBe("USD-1001 → USD-1001");
    const waiting = await screen.findByTestId("sku-map-waiting");
    await waitFor(() => expect(waiting).toHaveTextContent("2 orders wait on these SKUs:"));
    expect(
      screen.getAllByTestId("sku-map-suggestion").map((button) => button.textContent?.trim()),
    ).toEqual(["OWN-201 · 1 order", "OWN-202 · 1 order"]);
  });

  it("adds a mapping from a suggestion", async () => {
    const { backend, user } = await openSkuMap();
    const setSkuMapping = vi.spyOn(backend.commands, "setSkuMapping");
    await screen.findAllByTestId("sku-map-suggestion");

    await user.click(screen.getByRole("button", { name: "Map OWN-201" }));
    expect(screen.getByTestId("sku-map-store")).toHaveValue("OWN-201");
    expect(screen.getByTestId("sku-map-supplier")).toHaveFocus();
    await user.type(screen.getByTestId("sku-map-supplier"), "USD-1006{Enter}");

    expect(setSkuMapping).toHaveBeenCalledWith("OWN-201", "USD-1006");
    await waitFor(() => expect(rows()).toContain("OWN-201 → USD-1006"));
    expect(screen.getByTestId("sku-map-added")).toHaveTextContent("OWN-201 → USD-1006 is mapped.");
    await waitFor(() => expect(screen.getByTestId("sku-map-waiting")).toHaveTextContent("OWN-202"));
    expect(screen.getByTestId("sku-map-waiting")).not.toHaveTextContent("OWN-201");
  });

  it("checks both SKUs before adding, and shows the backend's refusal", async () => {
    const { backend, user } = await openSkuMap();
    const setSkuMapping = vi.spyOn(backend.commands, "setSkuMapping");

    await user.type(screen.getByTestId("sku-map-store"), "two words");
    await user.click(screen.getByTestId("sku-map-add"));
    expect(screen.getByText("A SKU has no spaces.")).toBeVisible();
    expect(screen.getByText("Type the SKU.")).toBeVisible();
    expect(setSkuMapping).not.toHaveBeenCalled();

    setSkuMapping.mockRejectedValueOnce({ code: "storage", message: "The database is busy." });
    await user.clear(screen.getByTestId("sku-map-store"));
    await user.type(screen.getByTestId("sku-map-store"), "OWN-9");
    await user.type(screen.getByTestId("sku-map-supplier"), "USD-1001");
    await user.click(screen.getByTestId("sku-map-add"));
    expect(await screen.findByTestId("sku-map-error")).toHaveTextContent(
      "Not mapped: The database is busy.",
    );
  });

  it("edits a mapping in place and removes another", async () => {
    const { backend, user } = await openSkuMap();
    const removeSkuMapping = vi.spyOn(backend.commands, "removeSkuMapping");
    const [first] = screen.getAllByTestId("sku-map-row") as HTMLElement[];

    await user.click(within(first as HTMLElement).getByTestId("sku-map-edit"));
    const input = within(first as HTMLElement).getByTestId("sku-map-edit-input");
    expect(input).toHaveFocus();
    await user.clear(input);
    await user.type(input, "USD-9001{Enter}");
    await waitFor(() => expect(rows()[0]).toBe("USD-1001 → USD-9001"));

    await user.click(within(first as HTMLElement).getByTestId("sku-map-edit"));
    await user.keyboard("{Escape}");
    expect(
      within(first as HTMLElement).queryByTestId("sku-map-edit-input"),
    ).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Remove the mapping of USD-1008" }));
    expect(removeSkuMapping).toHaveBeenCalledWith("USD-1008");
    await waitFor(() => expect(rows()).toHaveLength(7));
  });
});
