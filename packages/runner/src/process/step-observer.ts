import type { InspectionSession } from './session.js';
import type { StepOutcome, StepRequest } from './step-outcome.js';

/** One finished step as its observers see it: who ran it, what it was given, what it answered. */
export interface ObservedStep {
  /** The session's product id. */
  pid: string;
  packageName: string;
  packageVersion: string;
  session: Pick<InspectionSession, 'id' | 'context'>;
  request: StepRequest;
  outcome: StepOutcome;
}

/**
 * Called after each step, once the caller has its answer in hand (recording, shadow runs).
 * Must return at once: anything slow belongs in the observer's own queue.
 */
export type StepObserver = (step: ObservedStep) => void;
