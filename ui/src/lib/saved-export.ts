// The line the window shows after an export: "Saved 1,234 orders to …/Downloads/orders.csv".

import type { SavedExport } from "../bindings";

const number = new Intl.NumberFormat();

/** The file's folder and name, with "…" for the folders above: the full path is the title. */
export function shortPath(path: string): string {
  const parts = path.split(/[\\/]/).filter((part) => part !== "");
  if (parts.length <= 2) return path;
  const separator = path.includes("\\") && !path.includes("/") ? "\\" : "/";
  return `…${separator}${parts.slice(-2).join(separator)}`;
}

/** "Saved 1 order to …" / "Saved 1,234 orders to …". */
export function savedMessage(saved: SavedExport, noun: readonly [string, string]): string {
  const word = saved.rows === 1 ? noun[0] : noun[1];
  return `Saved ${number.format(saved.rows)} ${word} to ${shortPath(saved.path)}`;
}
