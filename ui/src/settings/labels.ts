// Words for the store facts shown in Settings.

import type { KeySource, Mode } from "../bindings";

const KEY_SOURCES: Record<KeySource, string> = {
  keyring: "OS keyring",
  passphrase: "Passphrase",
};

const MODES: Record<Mode, string> = {
  sandbox: "Sandbox",
  live: "Live",
};

export function keySourceLabel(source: KeySource): string {
  return KEY_SOURCES[source] ?? source;
}

export function modeLabel(mode: Mode): string {
  return MODES[mode] ?? mode;
}
