// A SKU as the backend takes it (`store::sku_map::clean_sku`): 1–64 characters, no spaces.

export const MAX_SKU_LENGTH = 64;

/** Why `sku` is not a SKU, or null. */
export function skuProblem(sku: string): string | null {
  const trimmed = sku.trim();
  if (trimmed === "") return "Type the SKU.";
  if ([...trimmed].length > MAX_SKU_LENGTH)
    return `A SKU has at most ${MAX_SKU_LENGTH} characters.`;
  if (/\s/.test(trimmed)) return "A SKU has no spaces.";
  return null;
}
