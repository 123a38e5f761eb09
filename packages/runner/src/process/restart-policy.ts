/** Options for {@link RestartPolicy}. */
export interface RestartPolicyOptions {
  /** Restarts allowed within `windowMs` (`max_restarts`). */
  maxRestarts: number;
  /** The sliding window, in ms (`restart_window_ms`). */
  windowMs: number;
  /** Back-off before the first restart of a window; doubled for each further one. */
  initialDelayMs: number;
  /** Back-off ceiling. */
  maxDelayMs: number;
}

/** What to do after a process died: restart after `delayMs`, or give up (`failed`). */
export type RestartDecision = { restart: true; attempt: number; delayMs: number } | { restart: false; restartsInWindow: number };

/**
 * Exponential back-off with a budget per sliding window: the n-th restart within
 * `windowMs` waits `initialDelayMs * 2^(n-1)` (capped at `maxDelayMs`); once `maxRestarts`
 * restarts happened within the window the answer is to give up.
 */
export class RestartPolicy {
  private restarts: number[] = [];

  constructor(private readonly options: RestartPolicyOptions) {}

  /** Decides about one more restart at time `now` and records it when allowed. */
  next(now: number = Date.now()): RestartDecision {
    this.restarts = this.restarts.filter((time) => now - time < this.options.windowMs);
    if (this.restarts.length >= this.options.maxRestarts) {
      return { restart: false, restartsInWindow: this.restarts.length };
    }
    this.restarts.push(now);
    const attempt = this.restarts.length;
    const delayMs = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** (attempt - 1));
    return { restart: true, attempt, delayMs };
  }

  /** Forgets past restarts (an operator's explicit restart). */
  reset(): void {
    this.restarts = [];
  }
}
