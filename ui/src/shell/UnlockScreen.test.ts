import { screen, waitFor } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { fixture } from "../test/fixture";
import { renderApp, type TestBackend } from "../test/render-app";

const PASSPHRASE = "correct horse battery staple";

/** A store locked behind a passphrase that opens with `PASSPHRASE`. */
function passphraseStore({ commands }: TestBackend) {
  commands.appStatus.mockResolvedValue(fixture("appStatusLockedPassphrase"));
  commands.unlock.mockImplementation(async (passphrase) => {
    if (passphrase !== PASSPHRASE) throw fixture("errorWrongPassphrase");
    return fixture("appStatusUnlockedPassphrase");
  });
}

describe("unlock screen", () => {
  it("explains why the store is locked and where it lives", async () => {
    await renderApp(passphraseStore);

    expect(await screen.findByRole("heading", { name: "Unlock your store" })).toBeVisible();
    expect(screen.getByTestId("unlock-message")).toHaveTextContent(
      "The store in /home/dealer/.local/share/com.dealerportal.desktop is locked with a passphrase.",
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
    const { backend, user } = await renderApp(passphraseStore);

    await user.type(await screen.findByTestId("unlock-passphrase"), PASSPHRASE);
    await user.click(screen.getByTestId("unlock-submit"));

    expect(await screen.findByTestId("page-title")).toHaveTextContent("Onboarding");
    expect(screen.queryByText("Unlock your store")).not.toBeInTheDocument();
    expect(backend.commands.unlock).toHaveBeenCalledWith(PASSPHRASE);
  });

  it("shows the backend's error and keeps what was typed", async () => {
    const { user } = await renderApp(passphraseStore);

    const input = await screen.findByTestId("unlock-passphrase");
    await user.type(input, "not the passphrase");
    await user.click(screen.getByTestId("unlock-submit"));

    const error = await screen.findByRole("alert");
    expect(error).toHaveAttribute("data-testid", "unlock-error");
    expect(error).toHaveTextContent(fixture("errorWrongPassphrase").message);
    expect(input).toHaveValue("not the passphrase");
    expect(screen.getByTestId("unlock-submit")).toBeEnabled();
    expect(screen.queryByTestId("page-title")).not.toBeInTheDocument();
  });

  it("submits with Enter", async () => {
    const { backend, user } = await renderApp(passphraseStore);

    await user.type(await screen.findByTestId("unlock-passphrase"), `${PASSPHRASE}{Enter}`);

    expect(await screen.findByTestId("page-title")).toHaveTextContent("Onboarding");
    expect(backend.commands.unlock).toHaveBeenCalledTimes(1);
  });

  it("asks for a new passphrase twice, at least 8 characters, when creating a store", async () => {
    const { backend, user } = await renderApp(({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusLockedNewStore"));
      commands.unlock.mockResolvedValue(fixture("appStatusUnlockedPassphrase"));
    });

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
    expect(backend.commands.unlock).not.toHaveBeenCalled();

    await user.clear(confirm);
    await user.type(confirm, "long enough phrase");
    await user.click(submit);
    expect(await screen.findByTestId("page-title")).toHaveTextContent("Onboarding");
    expect(backend.commands.unlock).toHaveBeenCalledWith("long enough phrase");
  });

  it("offers no passphrase field when the backend cannot use one", async () => {
    const { backend, user } = await renderApp(({ commands }) => {
      commands.appStatus.mockResolvedValue(fixture("appStatusLockedKeyring"));
    });

    expect(await screen.findByTestId("unlock-message")).toHaveTextContent(
      "Start your desktop's keyring",
    );
    expect(screen.queryByTestId("unlock-passphrase")).not.toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Check again" }));
    await waitFor(() => expect(backend.commands.appStatus).toHaveBeenCalledTimes(2));
    expect(screen.getByTestId("unlock-message")).toBeVisible();
  });
});
