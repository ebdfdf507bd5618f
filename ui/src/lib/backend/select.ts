// Picks the transport at start-up. The mock is loaded lazily so the app bundle's main chunk
// does not carry it.

import { createTauriBackend, isTauri } from "./tauri";
import type { Backend } from "./transport";

export async function selectBackend(): Promise<Backend> {
  if (isTauri()) {
    return createTauriBackend();
  }
  const { createMockBackend } = await import("./mock");
  // `?locked` or `?new-store` in the address previews the unlock screen in a browser, `?slow`
  // makes every answer (and each sync page) take a moment, to see loading and sync progress,
  // `?fresh` starts without orders, as a new install does, to walk through Onboarding.
  const params = new URLSearchParams(window.location.search);
  const locked = params.has("new-store") ? "new_store" : params.has("locked") ? "existing" : null;
  return createMockBackend({
    locked,
    mode: params.get("mode") === "live" ? "live" : "sandbox",
    latencyMs: params.has("slow") ? 400 : 0,
    ...(params.has("fresh") ? { orders: [], activity: [] } : {}),
    // As in the app, queued supplier calls run a moment later and the window hears about it.
    outboxDelayMs: 1500,
    // The sandbox US Direct ships a test order about 20 seconds after the payment.
    sandboxShipDelayMs: 20_000,
  });
}
