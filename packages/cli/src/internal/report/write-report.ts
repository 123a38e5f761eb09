import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ExecuteResult, PreExecuteResult } from '@procvision/manifest';
import { annotateImage } from './annotate-image.js';
import { rectsOf } from './rect-overlay.js';
import { reportHtml, type RunReport } from './report-html.js';

/** The files a report wrote. */
interface WrittenReport {
  directory: string;
  json: string;
  html: string;
  annotated: string;
}

/** One step run of a project, as a report tells it. */
interface StepReportInput {
  project: { root: string; manifest: { name: string; version: string } };
  pid: string;
  step: number;
  image: { path: string; width: number; height: number; bytes: Uint8Array };
  userParams: Record<string, unknown>;
  /** The params after the step schema's defaults (null when they did not validate). */
  effectiveParams: Record<string, unknown> | null;
  /** Mapped stacks of what the algorithm threw during the step. */
  thrown: readonly string[];
  /** The step's document (`stepRunDocument`): results and diagnostics. */
  document: { pre_execute: unknown; execute: unknown; diagnostics: Record<string, unknown> | null };
  timings: Record<string, number>;
}

/** Writes the report of one step run of a project (`run --report`, each miss of `eval --report`). */
export function writeStepReport(directory: string, input: StepReportInput): Promise<WrittenReport> {
  const { project, image, document } = input;
  return writeReport(
    directory,
    {
      project: project.root,
      name: project.manifest.name,
      version: project.manifest.version,
      pid: input.pid,
      step: input.step,
      image: { file: image.path, width: image.width, height: image.height },
      user_params: input.userParams,
      effective_params: input.effectiveParams,
      thrown: [...input.thrown],
      pre_execute: document.pre_execute,
      execute: document.execute,
      diagnostics: document.diagnostics,
      timings: input.timings,
      created_at: new Date().toISOString(),
    },
    image.bytes,
  );
}

/** Writes report.json, annotated.png and report.html into `directory` (created if needed). */
async function writeReport(directory: string, report: RunReport, imageBytes: Uint8Array): Promise<WrittenReport> {
  const target = resolve(directory);
  await mkdir(target, { recursive: true });
  const rects = rectsOf(report.pre_execute as PreExecuteResult | undefined, report.execute as ExecuteResult | undefined);
  const files = { directory: target, json: join(target, 'report.json'), html: join(target, 'report.html'), annotated: join(target, 'annotated.png') };
  await writeFile(files.annotated, await annotateImage(imageBytes, rects));
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.html, reportHtml(report, rects));
  return files;
}
