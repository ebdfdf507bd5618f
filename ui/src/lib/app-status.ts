// Names for the two shapes of `AppStatus`.

import type { AppStatus } from "../bindings";

export type ReadyStatus = Extract<AppStatus, { state: "ready" }>;
export type LockedStatus = Extract<AppStatus, { state: "locked" }>;
