import { screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { MOCK_PASSPHRASE } from "../lib/backend/mock";
import { renderApp } from "../test/render-app";

describe("unlock screen", () => {
  it("explains why the store is locked and where it lives", async () => {
    await renderApp({ locked: "existing" });

    expect(await screen.findByRole("heading", { name: "Unlock your store" })).toBeVisible();
    expect(screen.getByTestId("unlock-message")).toHaveTextContent(
      "The OS keyring is not available on this machine. Enter the passphrase that protects this store.",
    );
    expect(screen.getByTestId("unlock-data-dir")).toHaveTextContent(
      "/home/dealer/.local/share/com.dealerportal.desktop",
    );
    expect(screen.getByLabelText("Passphrase")).toHaveAttribute("type", "password");
    expect(screen.getByTestId("unlock-submit")).toHaveTextContent("Unlock");
    expect(screen.queryByTestId("unlock-confirm")).not.toBeInTheDocument();
    expect(screen.queryByTestId("page-title")).not.toBeInTheDocument();
  });

  it("sends the passphrase and opens the app on success", async () => {
    const { backend, user } = await renderApp({ locked: "existing" });

    await user.type(await screen.findByTestId("unlock-passphrase"), MOCK_PASSPHRASE);
    await user.click(screen.getByTestId("unlock-submit"));

    expect(await screen.findByTestId("page-title")).toHaveTextContent("Orders");
    expect(screen.queryByText("Unlock your store")).not.toBeInTheDocument();
    expect(backend.calls).toContainEqual({
      command: "unlock",
      args: { passphrase: MOCK_PASSPHRASE },
    });
  });

  it("shows the backend's error and keeps what was typed", async () => {
    const { user } = await renderApp({ locked: "existing" });

    const input = await screen.findByTestId("unlock-passphrase");
    await user.type(input, "not the passphrase");
    await user.click(screen.getByTestId("unlock-submit"));

    const error = await screen.findByRole("alert");
    expect(error).toHaveAttribute("data-testid", "unlock-error");
    expect(error).toHaveTextContent("That passphrase does not open this store.");
    expect(input).toHaveValue("not the passphrase");
    expect(screen.getByTestId("unlock-submit")).toBeEnabled();
    expect(screen.queryByTestId("page-title")).not.toBeInTheDocument();
  });

  it("submits with Enter", async () => {
    const { backend, user } = await renderApp({ locked: "existing" });

    await user.type(await screen.findByTestId("unlock-passphrase"), `${MOCK_PASSPHRASE}{Enter}`);

    expect(await screen.findByTestId("page-title")).toHaveTextContent("Orders");
    expect(backend.calls.filter((call) => call.command === "unlock")).toHaveLength(1);
  });

  it("asks for a new passphrase twice, at least 8 characters, when creating a store", async () => {
    const { backend, user } = await renderApp({ locked: "new_store" });

    const submit = await screen.findByTestId("unlock-submit");
    expect(submit).toHaveTextContent("Create store");
    expect(screen.getByText(/forgotten\s+passphrase cannot be recovered/)).toBeVisible();

    const passphrase = screen.getByTestId("unlock-passphrase");
    const confirm = screen.getByTestId("unlock-confirm");

    await user.type(passphrase, "short");
    await user.type(confirm, "short");
    await user.click(submit);
    expect(await screen.findByTestId("unlock-error")).toHaveTextContent(
      "Use at least 8 characters.",
    );

    await user.clear(passphrase);
    await user.type(passphrase, "long enough phrase");
    await user.clear(confirm);
    await user.type(confirm, "long enough phrasf");
    await user.click(submit);
    expect(screen.getByTestId("unlock-error")).toHaveTextContent(
      "The two passphrases do not match.",
    );
    expect(backend.calls.some((call) => call.command === "unlock")).toBe(false);

    await user.clear(confirm);
    await user.type(confirm, "long enough phrase");
    await user.click(submit);
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Orders");
  });

  it("offers no passphrase field when the backend cannot use one", async () => {
    const { backend, user } = await renderApp({ locked: "keyring_unavailable" });

    expect(await screen.findByTestId("unlock-message")).toHaveTextContent(
      "Start a keyring service",
    );
    expect(screen.queryByTestId("unlock-passphrase")).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Check again" }));
    await waitFor(() =>
      expect(backend.calls.filter((call) => call.command === "app_status")).toHaveLength(2),
    );
    expect(screen.getByTestId("unlock-message")).toBeVisible();
  });
});
