// Finds the orders with the number the dealer knows them by ("1001" or "#1001"): the Sandbox store
// and a real store may each have one.

import type { Commands, OrderSummary } from "../bindings";
import { commandError } from "../lib/backend/errors";
import { bareNumber } from "./checks";

/** Orders whose number contains the typed one: enough to find the exact one among them. */
const CANDIDATES = 100;

/** The orders numbered `typed`; rejects with a message for the dealer when there is none. */
export async function findOrdersByNumber(
  commands: Commands,
  typed: string,
): Promise<OrderSummary[]> {
  const wanted = bareNumber(typed);
  if (wanted === "") {
    throw commandError("invalid_input", "Type the order number, such as 1001.");
  }
  const page = await commands.listOrders({
    status: null,
    search: wanted,
    limit: CANDIDATES,
    offset: 0,
  });
  const found = page.orders.filter((order) => bareNumber(order.number) === wanted);
  if (found.length === 0) {
    throw commandError(
      "not_found",
      `No order #${wanted} has been imported. Check the number, or press Order Sync if it is new.`,
    );
  }
  return found;
}
