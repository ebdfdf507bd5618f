// What the dealer chose for CSV exports, remembered on this computer (localStorage): whether a
// file starts with the byte order mark Excel needs to read accents and emoji right.

const BOM_KEY = "dealer-portal.export.bom";

function load(): boolean {
  try {
    return globalThis.localStorage?.getItem(BOM_KEY) === "1";
  } catch {
    return false;
  }
}

class ExportPrefs {
  #bom = $state(load());

  /** Start the CSV with a UTF-8 byte order mark ("Include BOM for Excel"). */
  get bom(): boolean {
    return this.#bom;
  }

  set bom(on: boolean) {
    this.#bom = on;
    try {
      globalThis.localStorage?.setItem(BOM_KEY, on ? "1" : "0");
    } catch {
      // Not remembered (storage refused): the choice holds until the window closes.
    }
  }

  /** Reads the stored choice again (tests start from a clean storage). */
  reload() {
    this.#bom = load();
  }
}

export const exportPrefs = new ExportPrefs();
