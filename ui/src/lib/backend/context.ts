// Components reach the backend through Svelte context, set once by `App.svelte`.

import { createContext } from "svelte";
import type { Backend } from "./transport";

const [getBackendContext, setBackendContext] = createContext<Backend>();

export { setBackendContext };

export function useBackend(): Backend {
  return getBackendContext();
}
