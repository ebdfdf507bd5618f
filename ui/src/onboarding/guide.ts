// The titles of the onboarding guide's steps, in the order the backend reports them, and where in
// Settings each connection is made. Whether a step is done, optional or next is the backend's.

import type { GuideStep } from "../bindings";
import { SUPPLIER_SECTION_ID } from "../settings/supplier";

export const GUIDE_STEPS: Readonly<Record<GuideStep, string>> = {
  rehearse_in_sandbox: "Rehearse in the Sandbox",
  connect_store: "Connect your store",
  connect_supplier: "Connect US Direct",
  place_live_test_order: "Place a real low-dollar test order",
  live_checks: "Watch your test order pass the three checks",
};

/** The title of a step the backend names; an unknown one is shown as sent. */
export function guideTitle(step: GuideStep): string {
  return GUIDE_STEPS[step] ?? step;
}

/** The element ids Settings gives its connection sections, for the shell to bring into view. */
export const SETTINGS_SECTIONS = {
  salesChannels: "channels-heading",
  usDirect: SUPPLIER_SECTION_ID,
} as const;
