// Words for an environment. Live is the dealer's real store and US Direct account; Sandbox is a
// rehearsal with the loopback store and the sandbox US Direct, where no real money moves.

import type { Environment } from "../bindings";

const NAMES: Record<Environment, string> = { live: "Live", sandbox: "Sandbox" };

/** The name inside a sentence: "live orders", "sandbox orders". */
export function environmentWord(environment: Environment): string {
  return NAMES[environment].toLowerCase();
}
