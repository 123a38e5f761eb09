import { findNonJsonPart } from './internal/json-value-check.js';

/** A JSON value as the session store keeps it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** What a runner sends as `data.session` in a call. */
export interface SessionInit {
  /** The session id, e.g. `"sid-123"`. */
  id: string;
  /** Read-only facts about the inspection (`product_code`, `operator`, `trace_id` ...). */
  context?: Record<string, unknown>;
  /** The key-value store as the runner kept it after the previous call. */
  state?: Record<string, unknown>;
}

/**
 * One inspection of one product, from its first step to its last. The runner owns it; the
 * adapter hands a `Session` to every call and hook so steps can pass small JSON results on.
 *
 * @example
 * ```ts
 * session.set('board_origin', { x: 12, y: 40 });
 * const origin = session.get('board_origin', { x: 0, y: 0 });
 * ```
 */
export class Session {
  /** The session id given by the runner. */
  readonly id: string;
  private readonly store: Map<string, JsonValue>;
  private readonly contextSource: Record<string, unknown>;
  private contextFrozen = false;

  /**
   * @param init - id, context and state as the runner sent them.
   * @param ownership - `copy` (default) copies the context before freezing it; `adopt` takes
   * the given object itself and freezes it on first use (the adapter does this with the
   * context it just decoded, so a call that never reads the context pays nothing).
   */
  constructor(init: SessionInit, ownership: 'copy' | 'adopt' = 'copy') {
    this.id = init.id;
    const context = init.context ?? {};
    this.contextSource = ownership === 'adopt' ? context : structuredClone(context);
    this.store = new Map(Object.entries((init.state ?? {}) as Record<string, JsonValue>));
  }

  /** A frozen copy of the runner's context: mutating it is impossible and changes nothing. */
  get context(): Readonly<Record<string, unknown>> {
    if (!this.contextFrozen) {
      deepFreeze(this.contextSource);
      this.contextFrozen = true;
    }
    return this.contextSource;
  }

  /** The value stored under `key`, or `defaultValue` (default `undefined`) when absent. */
  get<T = JsonValue>(key: string, defaultValue?: T): T | undefined {
    return this.store.has(key) ? (this.store.get(key) as T) : defaultValue;
  }

  /**
   * Stores a copy of `value` under `key`.
   *
   * @throws TypeError naming the key when `value` is not plain JSON (functions, BigInt,
   * cycles, `undefined`, Map/Set and other class instances, NaN/Infinity).
   */
  set(key: string, value: unknown): void {
    if (typeof key !== 'string' || key === '') throw new TypeError(`session key must be a non-empty string, got ${String(key)}`);
    const problem = findNonJsonPart(value);
    if (problem !== undefined) {
      throw new TypeError(`session value for key "${key}" is not JSON-serialisable: found ${problem}`);
    }
    this.store.set(key, structuredClone(value) as JsonValue);
  }

  /** Removes `key`; true when it was there. */
  delete(key: string): boolean {
    return this.store.delete(key);
  }

  /** True when `key` holds a value. */
  exists(key: string): boolean {
    return this.store.has(key);
  }

  /** Every stored key, in insertion order. */
  keys(): string[] {
    return [...this.store.keys()];
  }

  /** The key-value store as a plain object: what the adapter sends back as `session_state`. */
  toState(): Record<string, JsonValue> {
    return Object.fromEntries(this.store);
  }
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
