import { describe, expect, it } from "vitest";
import { pageForShortcut, startPage } from "./pages";

const key = (init: KeyboardEventInit) => new KeyboardEvent("keydown", init);

describe("page shortcuts", () => {
  it("maps Alt+1..5 to the pages in sidebar order", () => {
    expect(pageForShortcut(key({ altKey: true, code: "Digit1", key: "1" }))).toBe("onboarding");
    expect(pageForShortcut(key({ altKey: true, code: "Digit2", key: "2" }))).toBe("orders");
    expect(pageForShortcut(key({ altKey: true, code: "Digit3", key: "3" }))).toBe("settings");
    expect(pageForShortcut(key({ altKey: true, code: "Digit4", key: "4" }))).toBe("activity");
    expect(pageForShortcut(key({ altKey: true, code: "Digit5", key: "5" }))).toBe("statement");
  });

  it("reads the physical key, as macOS types ¡ for Alt+1", () => {
    expect(pageForShortcut(key({ altKey: true, code: "Digit1", key: "¡" }))).toBe("onboarding");
  });

  it("ignores other keys and modifier combinations", () => {
    expect(pageForShortcut(key({ code: "Digit1", key: "1" }))).toBeNull();
    expect(pageForShortcut(key({ altKey: true, code: "Digit9", key: "9" }))).toBeNull();
    expect(pageForShortcut(key({ altKey: true, ctrlKey: true, code: "Digit1" }))).toBeNull();
    expect(pageForShortcut(key({ altKey: true, code: "KeyA", key: "a" }))).toBeNull();
  });
});

describe("start page", () => {
  it("is the onboarding guide until the backend says onboarding is complete, then Orders", () => {
    expect(startPage({ onboarding_complete: false })).toBe("onboarding");
    expect(startPage({ onboarding_complete: true })).toBe("orders");
  });
});
