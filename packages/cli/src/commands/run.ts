import { existsSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { loadProject } from '../internal/load-project.js';
import { parseParamsOption } from '../internal/parse-params.js';
import { prepareProject } from '../internal/prepare-project.js';
import { type GuideOptions, readGuideOptions } from '../internal/guide-options.js';
import { readImageFile } from '../internal/read-image-file.js';
import { shellQuote } from '../internal/shell-quote.js';
import { startProjectAlgorithm } from '../internal/start-algorithm.js';
import { type StepRun, runProjectStep } from '../internal/step-run.js';
import { writeStepReport } from '../internal/report/write-report.js';
import { commandExample } from '../internal/contextual-example.js';
import { formatStepRun, stepRunDocument } from '../internal/step-run-document.js';
import { ErrorCodes } from '@procvision/manifest';

/** Options of `procvision run`. */
export interface RunOptions extends GuideOptions {
  pid: string;
  image: string;
  step: number;
  params?: string;
  timeoutMs?: number;
  report?: string;
}

/**
 * `procvision run <project> --pid --image`: one step through the adapter in a child process,
 * the image in shared memory. Exit 0 when execute's status is OK (verdict OK or NG), 1 otherwise.
 */
export async function runCommand(project: string, options: RunOptions, output: Output): Promise<number> {
  const [shownProject, shownImage] = [shellQuote(project), shellQuote(options.image)];
  const example = commandExample('run', 0, { project });
  const userParams = parseParamsOption(
    options.params,
    `procvision run ${shownProject} --pid ${options.pid} --image ${shownImage} --params '{"threshold": 60}'`,
  );
  const loaded = await loadProject(project, 'run');
  const { manifest } = loaded;
  if (!manifest.supported_pids.includes(options.pid)) {
    throw new UsageError(`unknown PID '${options.pid}': ${manifest.name} supports ${manifest.supported_pids.join(', ')} (manifest.json supported_pids).`, {
      code: ErrorCodes.invalidPid,
      example: `procvision run ${shownProject} --pid ${manifest.supported_pids[0] ?? 'A01'} --image ${shownImage}`,
    });
  }
  const image = await readImageFile(options.image, example);
  const guide = await readGuideOptions(options, example);
  if (options.report !== undefined && existsSync(options.report) && !statSync(options.report).isDirectory()) {
    throw new UsageError(`--report ${resolve(options.report)} is a file; pass a folder for report.json, report.html and annotated.png.`, {
      example: `${example} --report report/`,
    });
  }
  const build = await prepareProject(loaded, output);
  const algorithm = await startProjectAlgorithm(loaded, output, options.timeoutMs);
  let run: StepRun;
  try {
    output.progress(`running step ${options.step}...`);
    run = await runProjectStep(algorithm, { pid: options.pid, step: options.step, userParams, image, guide, example });
  } finally {
    await algorithm.close();
  }
  const timings = { build_ms: build.durationMs, startup_ms: algorithm.startupMs, ...run.timings };
  const document = stepRunDocument(run.outcome, timings);
  if (options.report !== undefined) {
    const report = await writeStepReport(options.report, {
      project: loaded,
      pid: options.pid,
      step: options.step,
      image,
      userParams,
      effectiveParams: run.effectiveParams,
      // Read after close: by then every stderr line of the adapter has arrived.
      thrown: algorithm.thrown,
      document,
      timings,
    });
    document.report = { directory: report.directory, json: report.json, html: report.html, annotated: report.annotated };
  }
  output.result(document, () => formatStepRun(document, relative(process.cwd(), image.path), output.colour));
  return document.status === 'OK' ? ExitCodes.success : ExitCodes.failure;
}
