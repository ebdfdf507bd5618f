/** @type {import("@sveltejs/vite-plugin-svelte").SvelteConfig} */
export default {
  compilerOptions: {
    // Runes everywhere: no legacy reactive statements can creep in.
    runes: true,
  },
};
