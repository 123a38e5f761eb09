import { createRequire } from 'node:module';
import type * as V8 from 'node:v8';

/** A sixteenth of V8's default `--interrupt-budget` (66 KB of bytecode run between tier-up checks). */
const interruptBudget = 4096;
let done = false;

/**
 * Lets V8 optimise the per-call code sooner. With the default budget the adapter's per-call
 * functions reached TurboFan only after 1,000-3,000 calls, and were compiled on helper threads
 * meanwhile (docs/design.md, "Adapter speed"); with a sixteenth of it they are optimised within
 * the first 300 calls. Called once, after the first result is written, so start-up
 * (loading `node:v8` takes ~1-2 ms) and start-up code are untouched. The flag is process-wide.
 */
export function tierUpSooner(): void {
  if (done) return;
  done = true;
  const v8 = createRequire(import.meta.url)('node:v8') as typeof V8;
  v8.setFlagsFromString(`--interrupt-budget=${interruptBudget}`);
}
