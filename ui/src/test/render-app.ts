// Renders the whole app against a stubbed transport: every command is a `vi.fn()` that answers
// what the test sets (fixtures recorded from the real engine, see `./fixture.ts`), and `emit`
// fires the events the Rust side would. What the engine does after a click is proven by the
// Rust tests and the end-to-end tests against the real app, not here.

import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { type Mock, vi } from "vitest";
import App from "../App.svelte";
import { type Commands, makeCommands } from "../bindings";
import type { Backend, EventName, WindowEvents } from "../lib/backend/transport";
import { emptyDashboard } from "./dashboard";
import { fixture } from "./fixture";

export type TestCommands = { [K in keyof Commands]: Mock<Commands[K]> };

export interface TestBackend extends Backend {
  commands: TestCommands;
  /** Fires an event at the window's listeners, as the Rust side would. */
  emit<K extends EventName>(event: K, payload: WindowEvents[K]): void;
}

/** Commands that fail until the test says what they answer; events the test fires. */
export function createTestBackend(): TestBackend {
  const names = Object.keys(makeCommands(() => Promise.reject())) as (keyof Commands)[];
  const unanswered = (name: string) =>
    vi.fn(() =>
      Promise.reject({ code: "internal", message: `the test set no answer for ${name}` }),
    );
  const commands = Object.fromEntries(names.map((name) => [name, unanswered(name)]));
  const handlers = new Map<EventName, Set<(payload: never) => void>>();
  return {
    commands: commands as unknown as TestCommands,
    listen: async (event, handler) => {
      const set = handlers.get(event) ?? new Set();
      handlers.set(event, set.add(handler as (payload: never) => void));
      return () => set.delete(handler as (payload: never) => void);
    },
    emit: (event, payload) => {
      for (const handler of handlers.get(event) ?? []) handler(payload as never);
    },
  };
}

/**
 * What the window reads when it opens a page, answered as the engine answered for the sandbox
 * store the fixtures were recorded in. Commands that change something are left for each test.
 */
export function answerReads(backend: TestBackend): void {
  const { commands } = backend;
  commands.appStatus.mockResolvedValue(fixture("appStatusSandbox"));
  commands.listOrders.mockResolvedValue(fixture("orders"));
  commands.listChannels.mockResolvedValue(fixture("channelsSandbox"));
  commands.recentActivity.mockResolvedValue(fixture("activity"));
  commands.listJobs.mockResolvedValue(fixture("jobs"));
  commands.onboardingStatus.mockResolvedValue(fixture("onboardingComplete"));
  commands.listSkuMap.mockResolvedValue(fixture("skuMapMapped"));
  commands.unmappedSkus.mockResolvedValue(fixture("unmappedSkusNone"));
  commands.seenSkus.mockResolvedValue([]);
  commands.autoAuthorizeStatus.mockResolvedValue(fixture("autoAuthorizeStatus"));
  commands.shipmentNotifications.mockResolvedValue(true);
  commands.autostartEnabled.mockResolvedValue(false);
  commands.lateAfterBusinessDays.mockResolvedValue(4);
  commands.problemNotifications.mockResolvedValue({
    declined: true,
    refused: true,
    invalid_tracking: true,
    late: true,
  });
  commands.needsYouCount.mockResolvedValue({ count: 0 });
  commands.orderCount.mockResolvedValue({ count: 18 });
  commands.supplierConnection.mockResolvedValue(fixture("supplierSandbox"));
  commands.dashboard.mockImplementation(async (query) => emptyDashboard(query));
}

/** Renders the app; `setup` says what the commands answer before it asks anything. */
export async function renderApp(setup: (backend: TestBackend) => void = () => {}) {
  const backend = createTestBackend();
  answerReads(backend);
  setup(backend);
  const user = userEvent.setup();
  const result = render(App, { props: { backend } });
  return { backend, user, ...result };
}

/** Renders an unlocked app and waits until the first page is on screen. */
export async function renderReadyApp(setup: (backend: TestBackend) => void = () => {}) {
  const rendered = await renderApp(setup);
  await screen.findByTestId("page-title");
  return rendered;
}

/**
 * Renders an unlocked app and opens Orders from the sidebar: the window opens on the onboarding
 * guide until the live test order passed its checks, as in the stores the fixtures come from.
 */
export async function renderOrdersApp(setup: (backend: TestBackend) => void = () => {}) {
  const rendered = await renderReadyApp(setup);
  await rendered.user.click(screen.getByTestId("nav-orders"));
  return rendered;
}

/** A promise whose settling the test controls. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}
