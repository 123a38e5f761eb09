import type { IncomingMessage } from 'node:http';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';

/**
 * One byte budget shared by every request body the service holds in memory at once. A body
 * reserves its declared Content-Length before a byte is read (chunked bodies reserve as they
 * arrive); a reservation beyond the budget is refused with 503 + `Retry-After` (3009), and the
 * connection closes without reading the rest. The request handler releases a request's bytes
 * once it is answered.
 */
export class BodyBudget {
  private used = 0;
  private readonly held = new WeakMap<IncomingMessage, number>();

  constructor(readonly maxBytes: number) {}

  /**
   * Reserves `bytes` more for `request`.
   * @throws ProcVisionError 3009 (503, Retry-After 1) when the budget would be exceeded
   */
  reserve(request: IncomingMessage, bytes: number): void {
    if (bytes <= 0) return;
    if (this.used + bytes > this.maxBytes) {
      throw new ProcVisionError(
        ErrorCodes.serviceBusy,
        `the runner holds ${String(this.used)} bytes of request bodies (budget ${String(this.maxBytes)}); this body of ${String(bytes)} more bytes must wait: retry shortly`,
        { details: { retry_after_s: 1, budget_bytes: this.maxBytes } },
      );
    }
    this.used += bytes;
    this.held.set(request, (this.held.get(request) ?? 0) + bytes);
  }

  /** Gives back every byte `request` reserved. */
  release(request: IncomingMessage): void {
    const bytes = this.held.get(request);
    if (bytes === undefined) return;
    this.held.delete(request);
    this.used -= bytes;
  }

  /** Bytes reserved now. */
  get usedBytes(): number {
    return this.used;
  }
}

const budgets = new WeakMap<IncomingMessage, BodyBudget>();

/** Puts a request under a budget (the request handler does it for every request). */
export function attachBodyBudget(request: IncomingMessage, budget: BodyBudget): void {
  budgets.set(request, budget);
}

/** The budget a request's body is read under, if any. */
export function bodyBudgetOf(request: IncomingMessage): BodyBudget | undefined {
  return budgets.get(request);
}
