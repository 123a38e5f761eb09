/** The requests being served, so a graceful shutdown can wait for them. */
export class InflightRequests {
  private readonly running = new Set<Promise<void>>();

  /** Tracks one request's handling until it settles. */
  track(handling: Promise<void>): void {
    this.running.add(handling);
    void handling.finally(() => this.running.delete(handling));
  }

  /** How many requests are being served. */
  get size(): number {
    return this.running.size;
  }

  /** Resolves true once every tracked request settled, or false after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const settled = (async () => {
      while (this.running.size > 0) await Promise.allSettled([...this.running]);
      return true as const;
    })();
    try {
      return await Promise.race([settled, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
