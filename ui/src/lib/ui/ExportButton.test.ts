import { render, screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SavedExport } from "../../bindings";
import { deferred } from "../../test/render-app";
import { exportPrefs } from "../export-prefs.svelte";
import ExportButton from "./ExportButton.svelte";

function renderButton(run: (bom: boolean) => Promise<SavedExport | null>) {
  const user = userEvent.setup();
  render(ExportButton, {
    props: { run, noun: ["invoice", "invoices"] as const, testid: "statement-export" },
  });
  return { user, button: screen.getByTestId("statement-export") };
}

describe("ExportButton", () => {
  beforeEach(() => {
    localStorage.clear();
    exportPrefs.reload();
  });

  it("is busy while the export runs, then says how many rows went where", async () => {
    const answer = deferred<SavedExport | null>();
    const run = vi.fn(() => answer.promise);
    const { user, button } = renderButton(run);

    await user.click(button);
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute("aria-busy", "true");
    expect(button).toHaveTextContent("Exporting…");
    // A second click while busy starts nothing.
    await user.click(button);
    expect(run).toHaveBeenCalledTimes(1);

    answer.resolve({ rows: 1234, path: "/home/dee/Downloads/statement-2026-11.csv" });
    const saved = await screen.findByTestId("statement-export-saved");
    expect(saved).toHaveTextContent("Saved 1,234 invoices to …/Downloads/statement-2026-11.csv");
    expect(saved).toHaveAttribute("title", "/home/dee/Downloads/statement-2026-11.csv");
    expect(button).toBeEnabled();
    expect(button).toHaveTextContent("Export CSV");
  });

  it("does nothing visible when the dealer cancels the save dialog", async () => {
    const run = vi.fn(async () => null);
    const { user, button } = renderButton(run);

    await user.click(button);
    await waitFor(() => expect(button).toBeEnabled());
    expect(run).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("statement-export-saved")).toBeNull();
    expect(screen.queryByRole("alert")).toBeNull();
  });

  it("shows why the export failed", async () => {
    const run = vi.fn(async () => {
      throw { code: "storage", message: "could not write /mnt/usb/x.csv: No space left on device" };
    });
    const { user, button } = renderButton(run);

    await user.click(button);
    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Not exported: could not write /mnt/usb/x.csv: No space left on device",
    );
    expect(button).toBeEnabled();
  });

  it("sends the BOM choice and remembers it", async () => {
    const run = vi.fn(async () => ({ rows: 1, path: "/tmp/s.csv" }));
    const { user, button } = renderButton(run);

    await user.click(button);
    expect(run).toHaveBeenLastCalledWith(false);
    await user.click(screen.getByTestId("statement-export-bom"));
    await user.click(button);
    expect(run).toHaveBeenLastCalledWith(true);
    expect(localStorage.getItem("dealer-portal.export.bom")).toBe("1");
    expect(await screen.findByTestId("statement-export-saved")).toHaveTextContent(
      "Saved 1 invoice to /tmp/s.csv",
    );
  });
});
