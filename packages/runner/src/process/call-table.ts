/** One call in flight: what to do with its single outcome. */
interface PendingCall<Outcome> {
  settle: (outcome: Outcome) => void;
  timer: NodeJS.Timeout | undefined;
  sessionId: string | null;
  traceId: string | undefined;
}

/**
 * The calls in flight of one process, by `request_id`. Each call gets exactly one outcome:
 * whichever of reply, timeout or failure comes first settles it and removes it; anything that
 * comes later for the same id finds nothing and is dropped (`settle` returns false).
 */
export class CallTable<Outcome> {
  private readonly pending = new Map<string, PendingCall<Outcome>>();
  private sequence = 0;
  private lastSessionId: string | null = null;
  private lastTraceId: string | undefined;

  /** A fresh request id, unique within this table. */
  nextRequestId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}-${this.sequence}`;
  }

  /**
   * Registers a call. After `timeoutMs` (if given) it is settled with `onTimeout()`'s outcome.
   * Returns the promise of its one outcome.
   */
  add(requestId: string, options: { timeoutMs?: number; sessionId?: string | null; traceId?: string; onTimeout: () => Outcome }): Promise<Outcome> {
    if (this.pending.has(requestId)) throw new Error(`request id ${requestId} is already in flight`);
    return new Promise<Outcome>((resolve) => {
      const entry: PendingCall<Outcome> = { settle: resolve, timer: undefined, sessionId: options.sessionId ?? null, traceId: options.traceId };
      if (options.timeoutMs !== undefined) {
        entry.timer = setTimeout(() => this.settle(requestId, options.onTimeout()), options.timeoutMs);
      }
      this.pending.set(requestId, entry);
      if (options.sessionId !== undefined && options.sessionId !== null) {
        this.lastSessionId = options.sessionId;
        this.lastTraceId = options.traceId;
      }
    });
  }

  /** Settles one call; false when it is not (or no longer) in flight. */
  settle(requestId: string, outcome: Outcome): boolean {
    const entry = this.pending.get(requestId);
    if (!entry) return false;
    this.pending.delete(requestId);
    clearTimeout(entry.timer);
    entry.settle(outcome);
    return true;
  }

  /** Settles every call in flight with `outcome(requestId)` (the process died or broke). */
  settleAll(outcome: (requestId: string) => Outcome): void {
    for (const requestId of [...this.pending.keys()]) this.settle(requestId, outcome(requestId));
  }

  /** True when `requestId` is in flight. */
  has(requestId: string): boolean {
    return this.pending.has(requestId);
  }

  /**
   * The session to tag a log line with: the session of the call in flight, else of the last
   * call (stderr and stdout are separate pipes, so a call's last lines may arrive after its result).
   */
  currentSessionId(): string | null {
    for (const entry of this.pending.values()) if (entry.sessionId !== null) return entry.sessionId;
    return this.lastSessionId;
  }

  /** The trace id to tag a log line with: of the call in flight with a session, else of the last such call (as {@link currentSessionId}). */
  currentTraceId(): string | undefined {
    for (const entry of this.pending.values()) if (entry.sessionId !== null) return entry.traceId;
    return this.lastTraceId;
  }

  /** Number of calls in flight. */
  get size(): number {
    return this.pending.size;
  }
}
