/// <reference types="vitest/config" />
import { svelte } from "@sveltejs/vite-plugin-svelte";
import { svelteTesting } from "@testing-library/svelte/vite";
import { defineConfig } from "vite";

// Tauri loads dist/ from a custom protocol, so every asset URL must be relative.
export default defineConfig({
  base: "./",
  // svelteTesting only acts under Vitest: browser build of Svelte and DOM cleanup per test.
  plugins: [svelte(), svelteTesting()],
  clearScreen: false,
  server: {
    port: 5173,
    strictPort: true,
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // WebKitGTK on Linux and WKWebView on macOS are the oldest engines the app runs on.
    target: ["safari15", "chrome105"],
    sourcemap: false,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.ts"],
    // Fixed locale and zone so formatted money and dates are the same on every machine.
    env: { LANG: "en_US.UTF-8", LC_ALL: "en_US.UTF-8", TZ: "UTC" },
  },
});
