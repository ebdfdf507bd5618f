import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
const listen = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke }));
vi.mock("@tauri-apps/api/event", () => ({ listen }));

const { createTauriBackend, isTauri } = await import("./tauri");

describe("Tauri transport", () => {
  beforeEach(() => {
    invoke.mockReset();
    listen.mockReset();
  });

  it("sends commands with the generated names and arguments", async () => {
    invoke.mockResolvedValue([]);
    const backend = createTauriBackend();

    await backend.commands.listOrders({ status: "shipped", limit: 200, offset: 400 });

    expect(invoke).toHaveBeenCalledWith("list_orders", {
      query: { status: "shipped", limit: 200, offset: 400 },
    });
  });

  it("passes a backend error through as a CommandError", async () => {
    invoke.mockRejectedValue({ code: "wrong_key", message: "Wrong passphrase." });

    await expect(createTauriBackend().commands.unlock("x")).rejects.toEqual({
      code: "wrong_key",
      message: "Wrong passphrase.",
    });
  });

  it("wraps anything else thrown as an internal CommandError", async () => {
    invoke.mockRejectedValue("command unlock not found");

    await expect(createTauriBackend().commands.unlock("x")).rejects.toEqual({
      code: "internal",
      message: "command unlock not found",
    });
  });

  it("hands listeners the event's payload", async () => {
    const unlisten = vi.fn();
    listen.mockResolvedValue(unlisten);
    const handler = vi.fn();

    const stop = await createTauriBackend().listen("sync-paused-changed", handler);
    const [name, callback] = listen.mock.calls[0] as [string, (event: unknown) => void];
    callback({ event: "sync-paused-changed", id: 1, payload: { paused: true } });

    expect(name).toBe("sync-paused-changed");
    expect(handler).toHaveBeenCalledWith({ paused: true });
    stop();
    expect(unlisten).toHaveBeenCalled();
  });

  it("is only detected inside the Tauri webview", () => {
    expect(isTauri()).toBe(false);
  });
});
