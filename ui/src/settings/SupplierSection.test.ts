import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { fixture } from "../test/fixture";
import { deferred, renderReadyApp, type TestBackend } from "../test/render-app";

async function openSettings(setup: (backend: TestBackend) => void = () => {}) {
  const rendered = await renderReadyApp(setup);
  await rendered.user.click(screen.getByTestId("nav-settings"));
  await screen.findByTestId("supplier-status");
  return rendered;
}

describe("Settings: US Direct account", () => {
  it("saves the address and token, then empties the token field", async () => {
    const { backend, user } = await openSettings(({ commands }) => {
      commands.connectSupplier.mockResolvedValue(fixture("supplierConnected"));
    });
    expect(screen.getByTestId("supplier-state")).toHaveTextContent("Not connected");
    expect(screen.getByTestId("supplier-test")).toBeDisabled();

    const token = screen.getByLabelText("API token");
    expect(token).toHaveAttribute("type", "password");
    await user.type(screen.getByLabelText("API URL"), "https://api.usdirect.example/v1");
    await user.type(token, "usd_live_secret");
    await user.keyboard("{Enter}");

    expect(backend.commands.connectSupplier).toHaveBeenCalledWith(
      "https://api.usdirect.example/v1",
      "usd_live_secret",
    );
    expect(await screen.findByTestId("supplier-saved")).toHaveTextContent(
      "Saved. The API token is in the OS keyring.",
    );
    expect(token).toHaveValue("");
    expect(screen.getByTestId("supplier-state")).toHaveTextContent("Connected");
    expect(screen.getByTestId("supplier-url")).toHaveValue("http://127.0.0.1:38214/v1");
    expect(screen.getByText(/A token is saved in the OS keyring/)).toBeInTheDocument();
  });

  it("shows the engine's refusal beside the token when the address moved to a new host", async () => {
    const { backend, user } = await openSettings(({ commands }) => {
      commands.supplierConnection.mockResolvedValue(fixture("supplierConnected"));
      commands.connectSupplier.mockRejectedValue(fixture("errorSupplierNewHost"));
    });
    const url = screen.getByLabelText("API URL");
    await user.clear(url);
    await user.type(url, "https://api.usdirect.example/v1");
    await user.click(screen.getByTestId("supplier-save"));

    expect(backend.commands.connectSupplier).toHaveBeenCalledWith(
      "https://api.usdirect.example/v1",
      null,
    );
    expect(await screen.findByTestId("supplier-token-error")).toHaveTextContent(
      "The address moved to a new host: enter the API token again",
    );
    const token = screen.getByLabelText("API token");
    expect(token).toHaveFocus();
    expect(token).toHaveAttribute("aria-invalid", "true");
    expect(url).toHaveValue("https://api.usdirect.example/v1");
  });

  it("asks for the address before saving", async () => {
    const { backend, user } = await openSettings();
    await user.click(screen.getByTestId("supplier-save"));
    expect(screen.getByTestId("supplier-url-error")).toHaveTextContent(
      "Enter US Direct's API address",
    );
    expect(screen.getByLabelText("API URL")).toHaveFocus();
    expect(backend.commands.connectSupplier).not.toHaveBeenCalled();
  });

  it("tests the connection, busy while it runs, and shows the last error", async () => {
    const pending = deferred<ReturnType<typeof fixture<"supplierTokenRefused">>>();
    const { user } = await openSettings(({ commands }) => {
      commands.supplierConnection.mockResolvedValue(fixture("supplierConnected"));
      commands.testSupplier.mockReturnValue(pending.promise);
    });
    expect(screen.getByTestId("supplier-last-checked")).not.toHaveTextContent("Not checked yet");

    const button = screen.getByTestId("supplier-test");
    await user.click(button);
    expect(button).toHaveTextContent("Testing…");
    expect(button).toHaveAttribute("aria-busy", "true");
    expect(screen.getByTestId("supplier-save")).toBeDisabled();

    pending.resolve(fixture("supplierTokenRefused"));
    expect(await screen.findByTestId("supplier-last-error")).toHaveTextContent(
      "US Direct refused the API token",
    );
    expect(button).toHaveTextContent("Test connection");
    expect(screen.getByTestId("supplier-last-checked")).toHaveTextContent("Not checked yet");
  });

  it("disconnects only after confirming", async () => {
    const { backend, user } = await openSettings(({ commands }) => {
      commands.supplierConnection.mockResolvedValue(fixture("supplierConnected"));
      commands.disconnectSupplier.mockResolvedValue(fixture("supplierDisconnected"));
    });
    await user.click(screen.getByTestId("supplier-disconnect"));
    const dialog = await screen.findByTestId("supplier-disconnect-dialog");
    await user.click(within(dialog).getByRole("button", { name: "Cancel" }));
    expect(backend.commands.disconnectSupplier).not.toHaveBeenCalled();

    await user.click(screen.getByTestId("supplier-disconnect"));
    await user.click(await screen.findByTestId("supplier-disconnect-dialog-confirm"));
    await waitFor(() =>
      expect(screen.getByTestId("supplier-state")).toHaveTextContent("Not connected"),
    );
    expect(backend.commands.disconnectSupplier).toHaveBeenCalledOnce();
    expect(screen.queryByTestId("supplier-disconnect-dialog")).not.toBeInTheDocument();
    expect(screen.getByLabelText("API URL")).toHaveValue("");
  });
});
