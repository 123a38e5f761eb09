import { randomUUID } from 'node:crypto';
import type { SessionWire } from '@procvision/manifest';

/** What {@link InspectionSession} starts from. */
export interface InspectionSessionInit {
  /** Session id; a random UUID when absent. */
  id?: string;
  /** The package (algorithm process) that inspects this product. */
  packageName: string;
  /** The product id; must be one of the package's `supported_pids`. */
  pid: string;
  /** Read-only context passed to every call (`product_code`, `operator`, `trace_id`...). JSON only. */
  context?: Record<string, unknown>;
}

/**
 * One inspection of one product: all its steps, first to last. The runner owns the session
 * state: it sends `state` with every call and keeps the `session_state` that comes back, so
 * state survives between steps and across a restart of the algorithm process.
 */
export class InspectionSession {
  readonly id: string;
  readonly packageName: string;
  readonly pid: string;
  /** A frozen deep copy of the context given at creation. */
  readonly context: Readonly<Record<string, unknown>>;
  /** Steps run so far. */
  steps = 0;
  /** True after `endSession`. */
  ended = false;
  private currentState: Record<string, unknown> = {};

  constructor(init: InspectionSessionInit) {
    this.id = init.id ?? randomUUID();
    this.packageName = init.packageName;
    this.pid = init.pid;
    this.context = deepFreeze(structuredClone(init.context ?? {}));
  }

  /** The key-value state after the last call (a copy). */
  get state(): Record<string, unknown> {
    return structuredClone(this.currentState);
  }

  /** Keeps the `session_state` an algorithm returned. */
  applyState(state: Record<string, unknown> | undefined): void {
    if (state !== undefined) this.currentState = state;
  }

  /** Drops the state (a restarted inspection); context and id stay. */
  clearState(): void {
    this.currentState = {};
  }

  /** The session as it travels in `call.data.session`. */
  toWire(): SessionWire {
    return { id: this.id, context: this.context as Record<string, unknown>, state: this.currentState };
  }
}

function deepFreeze<Value>(value: Value): Value {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
