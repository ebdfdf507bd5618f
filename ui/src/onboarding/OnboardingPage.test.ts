import { screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { renderReadyApp } from "../test/render-app";

describe("Onboarding page", () => {
  it("lists the three test-order checks, none ticked, each with what to do when stuck", async () => {
    const { user } = await renderReadyApp();

    await user.click(screen.getByTestId("nav-onboarding"));

    const expected = [
      ["Order imports from your sales channel", "Settings"],
      ["Order is routed to US Direct and authorized for payment", "Authorize Order for Payment"],
      ["Tracking syncs back to your store", "2–4 business days after payment"],
    ];
    for (const [index, [title, hint]] of expected.entries()) {
      const check = screen.getByTestId(`check-${index + 1}`);
      expect(check).toHaveTextContent(title as string);
      expect(check).toHaveTextContent(hint as string);
      expect(within(check).getByTestId(`check-${index + 1}-state`)).toHaveTextContent("Not yet");
    }
  });
});
