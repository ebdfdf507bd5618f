import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";
import { createTauriBackend, isTauri } from "./lib/backend/tauri";

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

// The window only runs against the real engine, in the app. A plain browser gets one line on
// how to start it (README, "Developing").
if (isTauri()) {
  mount(App, { target, props: { backend: createTauriBackend() } });
} else {
  const note = document.createElement("p");
  note.className = "outside-app";
  note.dataset.testid = "outside-app";
  note.textContent =
    "Dealer Portal runs in its app window: start it with `cargo run -p dealer-portal --no-default-features` next to `npm run dev`.";
  target.replaceChildren(note);
}
