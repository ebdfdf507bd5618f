import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { Channel, ChannelInput } from "../bindings";
import { fixture } from "../test/fixture";
import { renderOrdersApp, renderReadyApp, type TestBackend } from "../test/render-app";

const [SANDBOX] = fixture("channelsSandbox") as [Channel];

async function openSettings(setup: (backend: TestBackend) => void = () => {}) {
  const rendered = await renderReadyApp(setup);
  await rendered.user.click(screen.getByTestId("nav-settings"));
  await screen.findAllByTestId("channel-row");
  return rendered;
}

/** A real store connected next to the sandbox one. */
function live({ commands }: TestBackend) {
  commands.listChannels.mockResolvedValue(fixture("channelsLive"));
}

/**
 * `add_channel` answers with `added`, after which the list has it; like the shell, the call
 * tells the window channels changed.
 */
function adds(backend: TestBackend, added: Channel) {
  backend.commands.addChannel.mockImplementation(async (_input: ChannelInput) => {
    backend.commands.listChannels.mockResolvedValue([SANDBOX, added]);
    backend.emit("activity-changed", { reason: "channels_changed" });
    return added;
  });
}

function rows() {
  return screen.getAllByTestId("channel-row");
}

function row(name: string): HTMLElement {
  const found = rows().find(
    (candidate) => within(candidate).getByTestId("channel-title").textContent === name,
  );
  if (!found) throw new Error(`no channel row for ${name}`);
  return found;
}

function field(testid: string) {
  return within(screen.getByTestId("channel-form")).getByTestId(testid) as HTMLInputElement;
}

describe("Sales channels", () => {
  it("lists the sandbox store first, tagged, without Edit or Remove", async () => {
    await openSettings(live);

    expect(screen.getByRole("heading", { name: "Sales channels" })).toBeVisible();
    const [sandbox, main] = rows() as [HTMLElement, HTMLElement];
    expect(sandbox).toHaveTextContent("Sandbox Store");
    expect(sandbox).toHaveTextContent("Shopify");
    expect(within(sandbox).getByTestId("channel-url")).toHaveTextContent("http://127.0.0.1:38211");
    expect(within(sandbox).getByTestId("channel-sandbox-tag")).toHaveTextContent("Sandbox");
    expect(sandbox).toHaveTextContent(
      "Loopback test store — replaced once you connect a real store",
    );
    expect(within(sandbox).getByTestId("channel-last-import")).toHaveTextContent("Last import:");
    expect(within(sandbox).getByTestId("channel-test")).toHaveAccessibleName(
      "Test connection to Sandbox Store",
    );
    expect(within(sandbox).queryByTestId("channel-edit")).not.toBeInTheDocument();
    expect(within(sandbox).queryByTestId("channel-remove")).not.toBeInTheDocument();

    expect(main).toHaveTextContent("Main store");
    expect(within(main).getByTestId("channel-url")).toHaveTextContent(
      "https://main-store.myshopify.com",
    );
    expect(within(main).getByTestId("channel-last-import")).toHaveTextContent("Not imported yet");
    expect(within(main).queryByTestId("channel-sandbox-tag")).not.toBeInTheDocument();
    expect(within(main).getByTestId("channel-edit")).toHaveAccessibleName("Edit Main store");
    expect(within(main).getByTestId("channel-remove")).toHaveAccessibleName("Remove Main store");
  });

  it("shows the last import in local time, and each store's platform", async () => {
    await openSettings(({ commands }) => {
      commands.listChannels.mockResolvedValue([SANDBOX, fixture("channelAddedWoocommerce")]);
    });

    // Tests run with TZ=UTC and an en-US locale (vite.config.ts).
    expect(within(row("Sandbox Store")).getByTestId("channel-last-import")).toHaveTextContent(
      "Last import: 11/27/25, 11:16 AM",
    );
    const woo = row("Woo shop");
    expect(woo).toHaveTextContent("WooCommerce");
    expect(within(woo).getByTestId("channel-last-import")).toHaveTextContent("Not imported yet");
  });

  it("adds a Shopify store with its Admin API access token", async () => {
    const { backend, user } = await openSettings((backend) => {
      adds(backend, fixture("channelAddedShopify"));
    });
    const addChannel = backend.commands.addChannel;

    await user.click(screen.getByTestId("channel-add"));
    const form = screen.getByTestId("channel-form");
    expect(field("channel-kind")).toHaveFocus();
    expect(field("channel-kind")).toHaveValue("shopify");
    const token = within(form).getByLabelText("Admin API access token");
    expect(token).toHaveAttribute("data-testid", "channel-token");
    expect(token).toHaveAttribute("type", "password");
    expect(within(form).queryByTestId("channel-key")).not.toBeInTheDocument();
    expect(within(form).queryByTestId("channel-secret")).not.toBeInTheDocument();
    expect(field("channel-url")).toHaveAttribute("placeholder", "https://your-shop.myshopify.com");

    await user.type(field("channel-name"), "Main store");
    await user.type(field("channel-url"), "https://main-store.myshopify.com/");
    await user.type(token, "shpat_secret_123");
    await user.click(field("channel-save"));

    expect(addChannel).toHaveBeenCalledWith({
      kind: "shopify",
      name: "Main store",
      url: "https://main-store.myshopify.com/",
      token: "shpat_secret_123",
      consumer_key: null,
      consumer_secret: null,
    });
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.queryByTestId("channel-form")).not.toBeInTheDocument();
    const main = row("Main store");
    expect(within(main).getByTestId("channel-url")).toHaveTextContent(
      "https://main-store.myshopify.com",
    );
    expect(main).toHaveTextContent("Not imported yet");
    // The token went to the backend once and is never shown again.
    expect(document.body).not.toHaveTextContent("shpat_secret_123");
    expect(screen.getByTestId("channel-saved")).toHaveTextContent(
      "Main store is connected. Test the connection",
    );
    expect(screen.getByTestId("channel-saved-test")).toHaveFocus();
  });

  it("adds a WooCommerce store with its consumer key and secret", async () => {
    const { backend, user } = await openSettings((backend) => {
      adds(backend, fixture("channelAddedWoocommerce"));
    });
    const addChannel = backend.commands.addChannel;

    await user.click(screen.getByTestId("channel-add"));
    await user.selectOptions(field("channel-kind"), "WooCommerce");
    const form = screen.getByTestId("channel-form");
    expect(within(form).queryByTestId("channel-token")).not.toBeInTheDocument();
    const key = within(form).getByLabelText("Consumer key");
    const secret = within(form).getByLabelText("Consumer secret");
    expect(key).toHaveAttribute("data-testid", "channel-key");
    expect(secret).toHaveAttribute("data-testid", "channel-secret");
    expect(key).toHaveAttribute("type", "password");
    expect(secret).toHaveAttribute("type", "password");
    expect(field("channel-url")).toHaveAttribute("placeholder", "https://your-wordpress-site.com");

    await user.type(field("channel-name"), "Woo shop");
    await user.type(field("channel-url"), "https://shop.example.com");
    await user.type(key, "ck_123");
    await user.type(secret, "cs_456");
    await user.click(field("channel-save"));

    expect(addChannel).toHaveBeenCalledWith({
      kind: "woocommerce",
      name: "Woo shop",
      url: "https://shop.example.com",
      token: null,
      consumer_key: "ck_123",
      consumer_secret: "cs_456",
    });
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(row("Woo shop")).toHaveTextContent("WooCommerce");
  });

  it("adds a BigCommerce store with its API access token", async () => {
    const { backend, user } = await openSettings((backend) => {
      adds(backend, fixture("channelAddedBigcommerce"));
    });
    const addChannel = backend.commands.addChannel;

    await user.click(screen.getByTestId("channel-add"));
    await user.selectOptions(field("channel-kind"), "bigcommerce");
    const token = within(screen.getByTestId("channel-form")).getByLabelText("API access token");
    expect(token).toHaveAttribute("data-testid", "channel-token");
    expect(token).toHaveAttribute("type", "password");
    expect(field("channel-url")).toHaveAttribute(
      "placeholder",
      "https://api.bigcommerce.com/stores/{store hash}",
    );

    await user.type(field("channel-name"), "BC store");
    await user.type(field("channel-url"), "https://api.bigcommerce.com/stores/abc123");
    await user.type(token, "bc_token");
    await user.click(field("channel-save"));

    expect(addChannel).toHaveBeenCalledWith({
      kind: "bigcommerce",
      name: "BC store",
      url: "https://api.bigcommerce.com/stores/abc123",
      token: "bc_token",
      consumer_key: null,
      consumer_secret: null,
    });
    await waitFor(() => expect(row("BC store")).toHaveTextContent("BigCommerce"));
  });

  it("says what is missing next to each field before asking the backend", async () => {
    const { backend, user } = await openSettings((backend) => {
      adds(backend, fixture("channelAddedShopify"));
    });
    const addChannel = backend.commands.addChannel;
    await user.click(screen.getByTestId("channel-add"));

    await user.click(field("channel-save"));

    expect(field("channel-name-error")).toHaveTextContent("Enter a name for this store");
    expect(field("channel-url-error")).toHaveTextContent("Enter the store's address");
    expect(field("channel-token-error")).toHaveTextContent("Enter the Admin API access token.");
    expect(field("channel-token")).toHaveAttribute("aria-invalid", "true");
    expect(field("channel-token")).toHaveAccessibleDescription(
      expect.stringContaining("Enter the Admin API access token."),
    );
    expect(field("channel-name")).toHaveFocus();
    expect(addChannel).not.toHaveBeenCalled();

    await user.type(field("channel-name"), "Main store");
    await user.type(field("channel-url"), "http://main-store.myshopify.com");
    await user.click(field("channel-save"));

    expect(field("channel-url-error")).toHaveTextContent(
      "Use https://. Plain http:// is only accepted for a test store on this computer",
    );
    expect(field("channel-token-error")).toHaveTextContent("Enter the Admin API access token.");
    expect(screen.queryByTestId("channel-name-error")).not.toBeInTheDocument();
    expect(field("channel-url")).toHaveFocus();
    expect(addChannel).not.toHaveBeenCalled();

    // Plain http is fine on this computer, as the backend allows.
    await user.clear(field("channel-url"));
    await user.type(field("channel-url"), "http://localhost:8080");
    await user.type(field("channel-token"), "shpat_local");
    expect(screen.queryByTestId("channel-url-error")).not.toBeInTheDocument();
    await user.click(field("channel-save"));

    expect(addChannel).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(rows()).toHaveLength(2));
  });

  it("asks for both WooCommerce keys", async () => {
    const { backend, user } = await openSettings();
    const addChannel = backend.commands.addChannel;
    await user.click(screen.getByTestId("channel-add"));
    await user.selectOptions(field("channel-kind"), "woocommerce");
    await user.type(field("channel-name"), "Woo");
    await user.type(field("channel-url"), "https://shop.example.com");
    await user.type(field("channel-key"), "ck_123");

    await user.click(field("channel-save"));

    expect(field("channel-secret-error")).toHaveTextContent("Enter the consumer secret.");
    expect(screen.queryByTestId("channel-key-error")).not.toBeInTheDocument();
    expect(field("channel-secret")).toHaveFocus();
    expect(addChannel).not.toHaveBeenCalled();
  });

  it("shows the backend's refusal and keeps everything typed", async () => {
    const { backend, user } = await openSettings();
    adds(backend, fixture("channelAddedShopify"));
    const addChannel = backend.commands.addChannel;
    addChannel.mockRejectedValueOnce(fixture("errorChannelNameTaken"));
    await user.click(screen.getByTestId("channel-add"));
    await user.type(field("channel-name"), "Sandbox Store");
    await user.type(field("channel-url"), "https://main-store.myshopify.com");
    await user.type(field("channel-token"), "shpat_secret_123");

    await user.click(field("channel-save"));

    const alert = await screen.findByRole("alert");
    expect(alert).toHaveAttribute("data-testid", "channel-save-error");
    expect(alert).toHaveTextContent(
      'The channel was not saved. Name: a channel called "Sandbox Store" exists already; pick another name',
    );
    expect(screen.getByTestId("channel-form")).toBeVisible();
    expect(field("channel-name")).toHaveValue("Sandbox Store");
    expect(field("channel-url")).toHaveValue("https://main-store.myshopify.com");
    expect(field("channel-token")).toHaveValue("shpat_secret_123");
    expect(field("channel-save")).toBeEnabled();
    expect(rows()).toHaveLength(1);

    await user.clear(field("channel-name"));
    await user.type(field("channel-name"), "Main store");
    await user.click(field("channel-save"));

    expect(addChannel).toHaveBeenCalledTimes(2);
    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(screen.queryByRole("alert")).not.toBeInTheDocument();
  });

  it("shows a failure of the call itself the same way", async () => {
    const { user } = await openSettings(({ commands }) => {
      commands.addChannel.mockRejectedValue(fixture("errorDatabase"));
    });
    await user.click(screen.getByTestId("channel-add"));
    await user.type(field("channel-name"), "Main store");
    await user.type(field("channel-url"), "https://main-store.myshopify.com");
    await user.type(field("channel-token"), "shpat_secret_123");

    await user.click(field("channel-save"));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "The channel was not saved. The database failed: attempted to acquire a connection on a closed pool",
    );
    expect(field("channel-token")).toHaveValue("shpat_secret_123");
  });

  it("closes the form on Cancel without saving", async () => {
    const { backend, user } = await openSettings();
    const addChannel = backend.commands.addChannel;
    await user.click(screen.getByTestId("channel-add"));
    await user.type(field("channel-name"), "Main store");

    await user.click(field("channel-cancel"));

    expect(screen.queryByTestId("channel-form")).not.toBeInTheDocument();
    expect(addChannel).not.toHaveBeenCalled();
    expect(rows()).toHaveLength(1);
    expect(screen.getByTestId("channel-add")).toHaveFocus();
  });

  it("edits a store, keeping the stored credentials when left blank", async () => {
    const { backend, user } = await openSettings(live);
    const updateChannel = backend.commands.updateChannel;
    updateChannel.mockImplementation(async () => {
      backend.commands.listChannels.mockResolvedValue([SANDBOX, fixture("channelUpdated")]);
      return fixture("channelUpdated");
    });

    await user.click(within(row("Main store")).getByTestId("channel-edit"));

    const form = within(row("Main store")).getByTestId("channel-form");
    expect(form).toHaveTextContent("Edit Main store");
    expect(field("channel-name")).toHaveFocus();
    expect(field("channel-name")).toHaveValue("Main store");
    expect(field("channel-url")).toHaveValue("https://main-store.myshopify.com");
    expect(field("channel-kind")).toBeDisabled();
    expect(field("channel-token")).toHaveValue("");
    expect(field("channel-token")).toHaveAccessibleDescription(
      "Leave blank to keep the stored token.",
    );

    await user.clear(field("channel-name"));
    await user.type(field("channel-name"), "Main shop");
    await user.click(field("channel-save"));

    expect(updateChannel).toHaveBeenCalledWith(2, {
      kind: "shopify",
      name: "Main shop",
      url: "https://main-store.myshopify.com",
      token: null,
      consumer_key: null,
      consumer_secret: null,
    });
    await waitFor(() => expect(screen.queryByTestId("channel-form")).not.toBeInTheDocument());
    expect(row("Main shop")).toBeVisible();
    expect(screen.getByTestId("channel-saved")).toHaveTextContent("Main shop is saved.");
  });

  it("asks for both WooCommerce keys when replacing one while editing", async () => {
    const { backend, user } = await openSettings(({ commands }) => {
      commands.listChannels.mockResolvedValue([SANDBOX, fixture("channelAddedWoocommerce")]);
    });
    const updateChannel = backend.commands.updateChannel;
    await user.click(within(row("Woo shop")).getByTestId("channel-edit"));
    expect(field("channel-key")).toHaveAccessibleDescription(
      "Leave both blank to keep the stored keys.",
    );

    await user.type(field("channel-secret"), "cs_new");
    await user.click(field("channel-save"));

    expect(field("channel-key-error")).toHaveTextContent(
      "Enter the consumer key too, or leave both blank to keep the stored keys.",
    );
    expect(updateChannel).not.toHaveBeenCalled();
  });

  it("removes a store after asking, saying its orders stay", async () => {
    const { backend, user } = await openSettings(live);
    const removeChannel = backend.commands.removeChannel.mockImplementation(async () => {
      backend.commands.listChannels.mockResolvedValue([SANDBOX]);
      return null;
    });
    const remove = within(row("Main store")).getByTestId("channel-remove");

    await user.click(remove);
    let dialog = screen.getByRole("alertdialog", { name: "Remove Main store?" });
    expect(dialog).toHaveAttribute("aria-modal", "true");
    expect(dialog).toHaveAccessibleDescription(
      expect.stringContaining("The orders already imported from it stay in Dealer Portal."),
    );
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();

    // Tab stays inside the dialog.
    await user.tab();
    expect(within(dialog).getByRole("button", { name: "Remove channel" })).toHaveFocus();
    await user.tab();
    expect(within(dialog).getByRole("button", { name: "Cancel" })).toHaveFocus();

    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(remove).toHaveFocus();
    expect(removeChannel).not.toHaveBeenCalled();

    await user.click(remove);
    dialog = screen.getByRole("alertdialog");
    await user.click(within(dialog).getByRole("button", { name: "Remove channel" }));

    expect(removeChannel).toHaveBeenCalledWith(2);
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(screen.queryByText("Main store")).not.toBeInTheDocument();
    expect(screen.getByTestId("channel-add")).toHaveFocus();
  });

  it("keeps the dialog open with the reason when removing fails", async () => {
    const { user } = await openSettings((backend) => {
      live(backend);
      backend.commands.removeChannel.mockRejectedValue(fixture("errorDatabase"));
    });

    await user.click(within(row("Main store")).getByTestId("channel-remove"));
    await user.click(screen.getByRole("button", { name: "Remove channel" }));

    const dialog = screen.getByRole("alertdialog");
    expect(await within(dialog).findByRole("alert")).toHaveTextContent(
      "Main store was not removed: The database failed: attempted to acquire a connection on a closed pool",
    );
    expect(rows()).toHaveLength(2);
  });

  it("shows a successful connection test inline", async () => {
    const { backend, user } = await openSettings(({ commands }) => {
      commands.testChannel.mockResolvedValue(fixture("channelTestSandbox"));
    });
    const testChannel = backend.commands.testChannel;
    const sandbox = row("Sandbox Store");

    await user.click(within(sandbox).getByTestId("channel-test"));

    expect(testChannel).toHaveBeenCalledWith(1);
    const result = within(sandbox).getByTestId("channel-test-result");
    await waitFor(() =>
      expect(result).toHaveTextContent("Connected to Sandbox Store (API version 2026-07)"),
    );
    expect(result).toHaveClass("connected");
    expect(result).not.toHaveClass("failed");
  });

  it("shows a failed connection test inline, with what to check", async () => {
    const { backend, user } = await openSettings((backend) => {
      live(backend);
      backend.commands.testChannel.mockRejectedValue(fixture("errorChannelRefused"));
    });
    const main = row("Main store");

    await user.click(within(main).getByTestId("channel-test"));

    expect(backend.commands.testChannel).toHaveBeenCalledWith(2);
    const result = within(main).getByTestId("channel-test-result");
    await waitFor(() =>
      expect(result).toHaveTextContent(
        "Main store: the store refused the credentials ([API] Invalid API key or access token (unrecognized login or wrong password)); check the access token or API keys",
      ),
    );
    expect(result).toHaveClass("failed");
    expect(within(row("Sandbox Store")).getByTestId("channel-test-result")).toHaveTextContent("");
  });

  it("shows the test as running and does not start a second one", async () => {
    const { backend, user } = await openSettings();
    let finish!: () => void;
    const testChannel = backend.commands.testChannel.mockImplementation(
      () =>
        new Promise((resolve) => {
          finish = () => resolve(fixture("channelTestSandbox"));
        }),
    );
    const button = within(row("Sandbox Store")).getByTestId("channel-test");

    await user.click(button);
    expect(button).toBeDisabled();
    expect(button).toHaveTextContent("Testing…");
    await user.click(button);
    expect(testChannel).toHaveBeenCalledTimes(1);

    finish();
    await waitFor(() => expect(button).toBeEnabled());
    expect(button).toHaveTextContent("Test connection");
  });

  it("offers to test a store right after adding it", async () => {
    const { backend, user } = await openSettings((backend) => {
      adds(backend, fixture("channelAddedShopify"));
      backend.commands.testChannel.mockRejectedValue(fixture("errorChannelRefused"));
    });
    const testChannel = backend.commands.testChannel;
    await user.click(screen.getByTestId("channel-add"));
    await user.type(field("channel-name"), "Main store");
    await user.type(field("channel-url"), "https://main-store.myshopify.com");
    await user.type(field("channel-token"), "shpat_wrong");
    await user.click(field("channel-save"));

    await user.click(await screen.findByTestId("channel-saved-test"));

    expect(testChannel).toHaveBeenCalledWith(2);
    await waitFor(() =>
      expect(within(row("Main store")).getByTestId("channel-test-result")).toHaveTextContent(
        "Main store: the store refused the credentials",
      ),
    );
  });

  it("reloads the list when the backend reports a change", async () => {
    const { backend } = await openSettings();
    backend.commands.listChannels.mockResolvedValue(fixture("channelsLive"));

    // A store added from the CLI, say.
    backend.emit("activity-changed", { reason: "channels_changed" });

    await waitFor(() => expect(rows()).toHaveLength(2));
    expect(row("Main store")).toBeVisible();
  });

  it("shows when a store last imported after an Order Sync", async () => {
    const { backend, user } = await openSettings(({ commands }) => {
      commands.listChannels.mockResolvedValue(fixture("channelsSandboxNew"));
      commands.orderSync.mockResolvedValue(fixture("syncReport"));
    });
    expect(within(row("Sandbox Store")).getByTestId("channel-last-import")).toHaveTextContent(
      "Not imported yet",
    );
    backend.commands.listChannels.mockResolvedValue(fixture("channelsSandbox"));

    await user.click(screen.getByTestId("order-sync"));

    await waitFor(() =>
      expect(within(row("Sandbox Store")).getByTestId("channel-last-import")).toHaveTextContent(
        /^Last import: \d+\/\d+\/\d+, \d+:\d+ [AP]M$/,
      ),
    );
  });

  it("says so when the list cannot be loaded, and tries again", async () => {
    // Orders reads the channels first, for its filter.
    const { backend, user } = await renderOrdersApp();
    const listChannels = backend.commands.listChannels;
    await waitFor(() => expect(listChannels).toHaveBeenCalled());
    listChannels.mockClear();
    listChannels.mockRejectedValueOnce(fixture("errorDatabase"));

    await user.click(screen.getByTestId("nav-settings"));

    expect(await screen.findByTestId("channels-error")).toHaveTextContent(
      "Sales channels could not be loaded: The database failed: attempted to acquire a connection on a closed pool",
    );
    await user.click(
      within(screen.getByTestId("channels-error")).getByRole("button", { name: "Try again" }),
    );
    await waitFor(() => expect(rows()).toHaveLength(1));
    expect(listChannels).toHaveBeenCalledTimes(2);
    expect(screen.queryByTestId("channels-error")).not.toBeInTheDocument();
  });
});

describe("switching between Sandbox and live", () => {
  it("drops the Sandbox label once a real store is added, and brings it back on removal", async () => {
    const { backend, user } = await openSettings((backend) => {
      adds(backend, fixture("channelAddedShopify"));
      backend.commands.removeChannel.mockImplementation(async () => {
        backend.commands.listChannels.mockResolvedValue([SANDBOX]);
        backend.commands.appStatus.mockResolvedValue(fixture("appStatusSandbox"));
        backend.emit("activity-changed", { reason: "channels_changed" });
        return null;
      });
    });
    const appStatus = backend.commands.appStatus;
    appStatus.mockClear();
    // Once the real store is connected, the store is live.
    backend.commands.addChannel.mockImplementationOnce(async () => {
      appStatus.mockResolvedValue(fixture("appStatusLive"));
      backend.commands.listChannels.mockResolvedValue(fixture("channelsLive"));
      backend.emit("activity-changed", { reason: "channels_changed" });
      return fixture("channelAddedShopify");
    });
    expect(screen.getByTestId("sandbox-badge")).toBeVisible();
    expect(screen.getByTestId("store-mode")).toHaveTextContent("Sandbox");

    await user.click(screen.getByTestId("channel-add"));
    await user.type(field("channel-name"), "Main store");
    await user.type(field("channel-url"), "https://main-store.myshopify.com");
    await user.type(field("channel-token"), "shpat_secret_123");
    await user.click(field("channel-save"));

    await waitFor(() => expect(screen.queryByTestId("sandbox-badge")).not.toBeInTheDocument());
    expect(appStatus).toHaveBeenCalled();
    expect(screen.getByTestId("store-mode")).toHaveTextContent("Live");

    await user.click(within(row("Main store")).getByTestId("channel-remove"));
    await user.click(screen.getByRole("button", { name: "Remove channel" }));

    expect(await screen.findByTestId("sandbox-badge")).toBeVisible();
    expect(screen.getByTestId("store-mode")).toHaveTextContent("Sandbox");
  });
});
