// The US Direct account form's pieces that need no component: which field an engine error
// belongs to. The rules themselves (which URLs, when the token may be kept) are the engine's.

import type { CommandError } from "../bindings";

export type SupplierField = "url" | "token";

/** The section's element id, which "Connect US Direct" buttons open Settings at. */
export const SUPPLIER_SECTION_ID = "us-direct-account";

/**
 * An engine refusal placed beside its field: the engine says `field: message` for input the
 * dealer can correct. Anything else is shown for the whole form.
 */
export function supplierErrorPlacement(error: CommandError): {
  field: SupplierField | null;
  message: string;
} {
  const match = /^(\w+): (.*)$/s.exec(error.message);
  if (error.code === "invalid_input" && match?.[1] && match[2]) {
    if (match[1] === "token") return { field: "token", message: capitalize(match[2]) };
    if (match[1] === "supplier_url" || match[1] === "url") {
      return { field: "url", message: capitalize(match[2]) };
    }
  }
  return { field: null, message: error.message };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
