// What a batch of Authorize Order for Payment did, in words for the dealer.

import type { AuthorizeOutcome } from "../bindings";
import { orderNumber } from "./display";

export interface AuthorizeSummaryText {
  /** One sentence with the counts. */
  headline: string;
  /** Each order that could not be authorized, with the backend's reason. */
  refused: string[];
  /** Nothing was authorized now. */
  nothingQueued: boolean;
}

const count = new Intl.NumberFormat();

function orders(n: number): string {
  return n === 1 ? "1 order" : `${count.format(n)} orders`;
}

export function summarizeOutcomes(outcomes: AuthorizeOutcome[]): AuthorizeSummaryText {
  const queued = outcomes.filter((o) => o.result === "queued").length;
  const already = outcomes.filter((o) => o.result === "already_authorized").length;
  const refused = outcomes.filter((o) => o.result === "not_allowed");
  const parts = [`${orders(queued)} authorized for payment`];
  if (already > 0) parts.push(`${count.format(already)} already authorized`);
  if (refused.length > 0) parts.push(`${count.format(refused.length)} could not be authorized`);
  return {
    headline: `${parts.join(", ")}.`,
    refused: refused.map((o) => `${orderNumber(o.number)}: ${o.message}`),
    nothingQueued: queued === 0,
  };
}
