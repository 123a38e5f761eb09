/** Options for {@link Heartbeat}. */
interface HeartbeatOptions {
  /** Time between pings (`heartbeat_interval_ms`). */
  intervalMs: number;
  /** Time a pong has to arrive (`heartbeat_grace_ms`). */
  graceMs: number;
  /** Consecutive misses after which the process is hung (`max_missed_heartbeats`). */
  maxMissed: number;
  /** Sends one `ping` frame with this request id. */
  sendPing: (requestId: string) => void;
  /** A pong was missed; `missed` counts consecutive misses. */
  onMiss: (missed: number) => void;
  /** `maxMissed` consecutive misses: the process is hung. Called once; the heartbeat stops. */
  onLost: () => void;
  /**
   * True while pings are not expected to be answered (a call runs in an adapter that does not
   * announce `ping_while_busy`): no ping is sent and a ping whose grace ends then is not a miss.
   */
  isBusy?: () => boolean;
}

/**
 * The runner's side of the heartbeat: a ping every `intervalMs`, each pong due within
 * `graceMs`; `maxMissed` consecutive misses declare the process hung. Pongs arriving after
 * their grace period count for nothing. While `isBusy()` holds, the heartbeat pauses
 * (docs/spec/protocol.md: an adapter that cannot answer during a call is checked between calls).
 */
export class Heartbeat {
  private interval: NodeJS.Timeout | undefined;
  private readonly outstanding = new Map<string, NodeJS.Timeout>();
  private missed = 0;
  private sequence = 0;
  private running = false;

  constructor(private readonly options: HeartbeatOptions) {}

  /** Starts pinging. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.interval = setInterval(() => this.ping(), this.options.intervalMs);
  }

  /** Stops pinging and forgets outstanding pings. */
  stop(): void {
    this.running = false;
    clearInterval(this.interval);
    for (const timer of this.outstanding.values()) clearTimeout(timer);
    this.outstanding.clear();
  }

  /** Handles a `pong`; false when it answers no outstanding ping (late or unknown). */
  handlePong(requestId: string): boolean {
    const timer = this.outstanding.get(requestId);
    if (timer === undefined) return false;
    clearTimeout(timer);
    this.outstanding.delete(requestId);
    this.missed = 0;
    return true;
  }

  private ping(): void {
    if (this.options.isBusy?.() === true) return;
    this.sequence += 1;
    const requestId = `ping-${this.sequence}`;
    const grace = setTimeout(() => this.miss(requestId), this.options.graceMs);
    this.outstanding.set(requestId, grace);
    this.options.sendPing(requestId);
  }

  private miss(requestId: string): void {
    if (!this.outstanding.delete(requestId) || !this.running) return;
    if (this.options.isBusy?.() === true) return;
    this.missed += 1;
    this.options.onMiss(this.missed);
    if (this.missed >= this.options.maxMissed) {
      this.stop();
      this.options.onLost();
    }
  }
}
