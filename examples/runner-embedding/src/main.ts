/**
 * Embedding the ProcVision runner: start an algorithm package, watch its events and logs,
 * inspect two products (steps 1 and 2 on an OK and an NG board), then shut everything down.
 *
 * Run: `pnpm --filter runner-embedding-example start` (after `pnpm build`).
 * Outcomes go to stdout, events and logs to stderr.
 */
import { type LogEntry, Runner, type StepRequest } from '@procvision/runner';
import { examplePackageRoot, samplePath } from './example-package.js';
import { formatLog, printOutcome } from './print.js';
import { readPngFrame } from './png-frame.js';

/** The steps of one inspection and the user params the platform sends with each. */
const inspectionSteps: ReadonlyArray<Omit<StepRequest, 'frame'>> = [
  { stepIndex: 1, userParams: { roi: { x: 100, y: 100, width: 440, height: 280 }, exposure: 12.5 } },
  { stepIndex: 2, userParams: { threshold: 0.7, mode: 'accurate' } },
];

const runner = new Runner({
  // Any key of the runner config (docs/spec/protocol.md); the rest keep their defaults.
  config: { execute_timeout_ms: 10_000, max_retries: 1, log_level: 'debug' },
  // Every stderr line of the algorithm and every runner warning, tagged with package and session.
  logger: { log: (entry: LogEntry) => process.stderr.write(`${formatLog(entry)}\n`) },
});

runner.on('process-ready', (event) =>
  note(`${event.packageName}@${event.packageVersion} ready: os process id ${event.processId}, cold start ${event.coldStartMs.toFixed(0)} ms`),
);
runner.on('state-change', (event) => note(`${event.packageName} ${event.from} -> ${event.to}${event.reason === undefined ? '' : ` (${event.reason})`}`));
runner.on('process-fault', (event) => note(`${event.packageName} fault ${event.reason}: ${event.message}`));
runner.on('restart', (event) => note(`${event.packageName} restart #${event.attempt} in ${event.delayMs} ms after ${event.reason}`));
runner.on('session-start', (event) => note(`session ${event.sessionId} started for pid ${event.pid}`));
runner.on('step-end', (event) =>
  note(`step ${event.stepIndex} of ${event.sessionId} ended ${event.status}${event.errorCode === undefined ? '' : ` ${event.errorCode}`}`),
);
runner.on('session-end', (event) => note(`session ${event.sessionId} ended after ${event.steps} step(s)`));
runner.on('process-exit', (event) => note(`${event.packageName} exited: code ${String(event.code)}, ${event.expected ? 'expected' : 'unexpected'}`));

let failedSteps = 0;
try {
  // The algorithm's own debug lines reach the logger too (PROC_LOG_LEVEL is read by the SDK logger).
  const algorithm = await runner.startPackage({ root: examplePackageRoot, env: { PROC_LOG_LEVEL: 'debug' } });
  const stepNames = new Map(algorithm.info?.steps.map((step) => [step.index, step.name]));

  for (const sample of ['ok.png', 'ng.png'] as const) {
    const frame = await readPngFrame(samplePath(sample));
    const session = runner.createSession({
      packageName: algorithm.packageName,
      pid: 'p001',
      context: { product_code: 'p001', operator: 'demo', trace_id: `demo-${sample}` },
    });
    for (const step of inspectionSteps) {
      // Never rejects: a timeout, a crash or bad params come back as an ERROR outcome with a code.
      const outcome = await runner.runStep(session.id, { ...step, frame });
      printOutcome(sample, stepNames.get(step.stepIndex) ?? '?', outcome);
      if (outcome.status === 'ERROR') failedSteps += 1;
    }
    // Step 1 stored the board it found; the runner carried it to step 2.
    process.stdout.write(`${sample} session state: ${JSON.stringify(session.state)}\n`);
    runner.endSession(session.id);
  }

  // A refused step: `roi` is required, so the runner answers 1006 without calling the algorithm.
  const session = runner.createSession({ packageName: algorithm.packageName, pid: 'p001' });
  const refused = await runner.runStep(session.id, { stepIndex: 1, frame: await readPngFrame(samplePath('ok.png')), userParams: {} });
  printOutcome('ok.png (no roi)', 'locate board', refused);
  runner.endSession(session.id);
} finally {
  await runner.close();
}
process.exitCode = failedSteps === 0 ? 0 : 1;

function note(text: string): void {
  process.stderr.write(`[event] ${text}\n`);
}
