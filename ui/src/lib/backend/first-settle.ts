// When the window first becomes usable: the first page has asked for its data, every answer is
// in and drawn. The Tauri transport counts the commands in flight; the first time none is left
// after at least one, and two frames later (the answer's render, then its paint) none was asked
// for since, the window is interactive. The app logs it with the time since start
// (docs/BENCHMARKS.md, "Start-up").

export type Frame = (callback: () => void) => void;

const nextFrame: Frame = (callback) =>
  globalThis.requestAnimationFrame
    ? globalThis.requestAnimationFrame(() => callback())
    : setTimeout(callback, 16);

export class FirstSettle {
  #inFlight = 0;
  #waiting = false;
  #done = false;

  constructor(
    private readonly onSettled: () => void,
    private readonly frame: Frame = nextFrame,
  ) {}

  /** Counts `answer` until it settles; returns it unchanged. */
  track<T>(answer: Promise<T>): Promise<T> {
    this.#inFlight += 1;
    const settled = () => {
      this.#inFlight -= 1;
      this.#check();
    };
    answer.then(settled, settled);
    return answer;
  }

  #check() {
    if (this.#done || this.#waiting || this.#inFlight > 0) return;
    this.#waiting = true;
    this.frame(() =>
      this.frame(() => {
        this.#waiting = false;
        // The answer's render asked for more (a page after the status): wait for that too.
        if (this.#done || this.#inFlight > 0) return;
        this.#done = true;
        this.onSettled();
      }),
    );
  }
}
