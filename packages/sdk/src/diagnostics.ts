/**
 * A small store of named figures an algorithm publishes about itself (model version,
 * last latency, counters). The adapter sends a snapshot with every pre/execute result as
 * `debug.diagnostics`; the runner puts it on `StepOutcome.diagnostics`, the HTTP step response
 * (`diagnostics`) and `procvision run`'s report.
 *
 * @example
 * ```ts
 * this.diagnostics.publish('model_version', '2.1.0');
 * this.diagnostics.get(); // { model_version: '2.1.0' }
 * ```
 */
export class Diagnostics {
  private readonly values = new Map<string, unknown>();

  /** Records `value` under `key`, replacing an earlier one. */
  publish(key: string, value: unknown): void {
    this.values.set(key, value);
  }

  /** A snapshot of everything published so far. */
  get(): Record<string, unknown> {
    return Object.fromEntries(this.values);
  }
}
