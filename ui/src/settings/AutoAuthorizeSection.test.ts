import { screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { fixture } from "../test/fixture";
import { renderReadyApp, type TestBackend } from "../test/render-app";

async function openSettings(setup: (backend: TestBackend) => void = () => {}) {
  const rendered = await renderReadyApp(setup);
  await rendered.user.click(screen.getByTestId("nav-settings"));
  await screen.findByTestId("auto-authorize-toggle");
  return rendered;
}

describe("Settings: Auto Authorize Orders For Payment", () => {
  it("shows the saved rules, what they spent today and how many orders wait", async () => {
    await openSettings(({ commands }) => {
      commands.autoAuthorizeStatus.mockResolvedValue(fixture("autoAuthorizeOn"));
    });

    expect(
      screen.getByRole("checkbox", { name: "Auto Authorize Orders For Payment" }),
    ).toBeChecked();
    expect(screen.getByLabelText("Only Auto Authorize Up to a Maximum Order Total")).toHaveValue(
      "150.00",
    );
    expect(screen.getByTestId("auto-authorize-cap")).toHaveValue("1000.00");
    expect(screen.getByTestId("auto-authorize-spent")).toHaveTextContent(
      "Spent by Auto Authorize today, sandbox orders: $0.00 of $1,000.00 · 3 sandbox orders are waiting for authorization",
    );
  });

  it("once live, says its figures count live orders, not the sandbox rehearsals", async () => {
    // The engine counts the live environment once a real store is connected.
    await openSettings(({ commands }) => {
      commands.autoAuthorizeStatus.mockResolvedValue({
        ...fixture("autoAuthorizeOn"),
        environment: "live",
      });
    });

    const spent = screen.getByTestId("auto-authorize-spent");
    expect(spent).toHaveTextContent(
      "Spent by Auto Authorize today, live orders: $0.00 of $1,000.00 · 3 live orders are waiting for authorization",
    );
    expect(spent).not.toHaveTextContent(/sandbox/i);
  });

  it("saves the rules in cents, checking the amounts first", async () => {
    const { backend, user } = await openSettings(({ commands }) => {
      commands.setAutoAuthorize.mockResolvedValue(fixture("autoAuthorizeOffSaved"));
    });
    const setAutoAuthorize = backend.commands.setAutoAuthorize;
    const max = screen.getByTestId("auto-authorize-max");
    const cap = screen.getByTestId("auto-authorize-cap");

    await user.type(max, "-5");
    await user.type(cap, "12.345");
    await user.click(screen.getByTestId("auto-authorize-save"));
    expect(screen.getByTestId("auto-authorize-max-error")).toHaveTextContent(
      "The amount cannot be negative.",
    );
    expect(screen.getByTestId("auto-authorize-cap-error")).toHaveTextContent(
      "Use at most 2 decimal places (cents).",
    );
    expect(max).toHaveFocus();
    expect(max).toHaveAttribute("aria-invalid", "true");
    expect(setAutoAuthorize).not.toHaveBeenCalled();

    await user.clear(max);
    await user.type(max, "$1,250.5");
    await user.clear(cap);
    await user.click(screen.getByTestId("auto-authorize-save"));

    expect(setAutoAuthorize).toHaveBeenCalledWith({
      enabled: false,
      max_total_minor: 125_050,
      daily_cap_minor: null,
    });
    expect(await screen.findByTestId("auto-authorize-saved")).toHaveTextContent(
      "Saved. Auto Authorize is off.",
    );
    expect(max).toHaveValue("1250.50");
    expect(screen.queryByTestId("auto-authorize-offer")).not.toBeInTheDocument();
  });

  it("shows the backend's refusal", async () => {
    const { user } = await openSettings(({ commands }) => {
      commands.setAutoAuthorize.mockRejectedValue(fixture("errorAutoAuthorizeAmount"));
    });

    await user.click(screen.getByTestId("auto-authorize-toggle"));
    await user.click(screen.getByTestId("auto-authorize-save"));

    expect(await screen.findByRole("alert")).toHaveTextContent(
      "Not saved: max_total: must be more than $0.00; leave it empty for no limit",
    );
  });

  it("switched on, offers to authorize the orders already waiting within the limits", async () => {
    const { backend, user } = await openSettings(({ commands }) => {
      commands.setAutoAuthorize.mockResolvedValue(fixture("autoAuthorizeOn"));
      commands.authorizeOrders.mockResolvedValue(fixture("authorizeWaiting"));
    });
    expect(screen.getByTestId("auto-authorize-spent")).toHaveTextContent(
      "3 sandbox orders are waiting for authorization",
    );

    await user.click(screen.getByTestId("auto-authorize-toggle"));
    await user.type(screen.getByTestId("auto-authorize-max"), "150");
    await user.type(screen.getByTestId("auto-authorize-cap"), "1000");
    await user.click(screen.getByTestId("auto-authorize-save"));

    expect(backend.commands.setAutoAuthorize).toHaveBeenCalledWith({
      enabled: true,
      max_total_minor: 15_000,
      daily_cap_minor: 100_000,
    });
    const offer = await screen.findByTestId("auto-authorize-offer");
    expect(offer).toHaveTextContent("Authorize the 3 orders already waiting?");
    backend.commands.autoAuthorizeStatus.mockResolvedValue(fixture("autoAuthorizeOnAfterOffer"));
    await user.click(within(offer).getByTestId("auto-authorize-offer-confirm"));

    expect(backend.commands.authorizeOrders).toHaveBeenCalledWith([2, 4, 15]);
    expect(await screen.findByTestId("bulk-authorize-summary")).toHaveTextContent(
      "3 orders authorized for payment.",
    );
    expect(screen.queryByTestId("auto-authorize-offer")).not.toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId("auto-authorize-spent")).toHaveTextContent(
        "0 sandbox orders are waiting for authorization",
      ),
    );
  });

  it("offers nothing when no waiting order is within the limits", async () => {
    const { backend, user } = await openSettings(({ commands }) => {
      commands.setAutoAuthorize.mockResolvedValue(fixture("autoAuthorizeOnNoneWithin"));
    });

    await user.click(screen.getByTestId("auto-authorize-toggle"));
    await user.type(screen.getByTestId("auto-authorize-max"), "1");
    await user.click(screen.getByTestId("auto-authorize-save"));

    expect(backend.commands.setAutoAuthorize).toHaveBeenCalledWith({
      enabled: true,
      max_total_minor: 100,
      daily_cap_minor: null,
    });
    expect(await screen.findByTestId("auto-authorize-saved")).toHaveTextContent(
      "Auto Authorize is on.",
    );
    expect(screen.queryByTestId("auto-authorize-offer")).not.toBeInTheDocument();
  });
});
