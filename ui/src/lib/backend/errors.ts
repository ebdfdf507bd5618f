// Every failure the UI sees is a `CommandError`, so views can match on `code` and show `message`.

import type { CommandError, ErrorCode } from "../../bindings";

function isCommandError(value: unknown): value is CommandError {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { code?: unknown }).code === "string" &&
    typeof (value as { message?: unknown }).message === "string"
  );
}

/** Normalises anything thrown by a command (or by the transport under it) to a `CommandError`. */
export function toCommandError(error: unknown): CommandError {
  if (isCommandError(error)) {
    return { code: error.code, message: error.message };
  }
  if (error instanceof Error) {
    return { code: "internal", message: error.message };
  }
  return { code: "internal", message: String(error) };
}

export function commandError(code: ErrorCode, message: string): CommandError {
  return { code, message };
}

/** The text to show for a failed command. */
export function errorMessage(error: unknown): string {
  return toCommandError(error).message;
}
