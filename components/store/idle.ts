/**
 * Runs `task` when the page has nothing else to do: after pending input, frames and other tasks, so
 * background work waits its turn rather than landing between a keystroke and its results on screen. `timeLeft` says how long the idle period lasts (ms). Where
 * there are no idle callbacks (Node), it runs on the next task with no time left: one step per task.
 */
export function whenIdle(task: (timeLeft: () => number) => void): void {
  if (hasIdlePeriods()) requestIdleCallback((deadline) => task(() => deadline.timeRemaining()), { timeout: IDLE_WAIT_LIMIT_MS });
  else setTimeout(() => task(() => 0), 0);
}

/** Whether this runtime has idle periods to offer (a browser page; not Node): work that is only worth doing then can skip itself. */
export const hasIdlePeriods = (): boolean => typeof requestIdleCallback === 'function';

/** A page busy for longer than this still gets the work done. */
const IDLE_WAIT_LIMIT_MS = 2_000;
