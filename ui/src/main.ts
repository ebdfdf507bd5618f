import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";
import { selectBackend } from "./lib/backend/select";

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");

selectBackend().then((backend) => mount(App, { target, props: { backend } }));
