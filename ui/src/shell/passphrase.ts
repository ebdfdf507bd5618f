// What the unlock form checks before it asks the backend, which checks again.

export const MIN_NEW_PASSPHRASE_LENGTH = 8;

/** Why the form cannot be sent yet, or null when it can. */
export function passphraseProblem(
  passphrase: string,
  confirmation: string,
  newStore: boolean,
): string | null {
  if (passphrase.length === 0) return "Enter the passphrase.";
  if (!newStore) return null;
  if (passphrase.length < MIN_NEW_PASSPHRASE_LENGTH) {
    return `Use at least ${MIN_NEW_PASSPHRASE_LENGTH} characters.`;
  }
  if (passphrase !== confirmation) return "The two passphrases do not match.";
  return null;
}
