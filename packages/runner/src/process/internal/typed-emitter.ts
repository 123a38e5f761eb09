type Listener<Payload> = (payload: Payload) => void;

/**
 * A small typed event emitter. A listener that throws never breaks the emitter's owner:
 * the error is handed to `onListenerError` and the other listeners still run.
 */
export class TypedEmitter<Events extends { [Name in keyof Events]: object }> {
  private readonly listeners = new Map<keyof Events, Set<Listener<never>>>();

  constructor(private readonly onListenerError: (error: unknown, event: keyof Events) => void = () => {}) {}

  /** Adds a listener; returns a function that removes it. */
  on<Name extends keyof Events>(event: Name, listener: Listener<Events[Name]>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener as Listener<never>);
    return () => this.off(event, listener);
  }

  /** Removes a listener added with {@link TypedEmitter.on}. */
  off<Name extends keyof Events>(event: Name, listener: Listener<Events[Name]>): void {
    this.listeners.get(event)?.delete(listener as Listener<never>);
  }

  /** Calls every listener of `event` with `payload`. */
  emit<Name extends keyof Events>(event: Name, payload: Events[Name]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<Events[Name]>)(payload);
      } catch (error) {
        this.onListenerError(error, event);
      }
    }
  }
}
