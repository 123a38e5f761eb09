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

/** Writes report.json, annotated.png and report.html into `directory` (created if needed). */
export async function writeReport(directory: string, report: RunReport, imageBytes: Uint8Array): Promise<WrittenReport> {
  const target = resolve(directory);
  await mkdir(target, { recursive: true });
  const rects = rectsOf(report.pre_execute as PreExecuteResult | undefined, report.execute as ExecuteResult | undefined);
  const files = { directory: target, json: join(target, 'report.json'), html: join(target, 'report.html'), annotated: join(target, 'annotated.png') };
  await writeFile(files.annotated, await annotateImage(imageBytes, rects));
  await writeFile(files.json, `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(files.html, reportHtml(report, rects));
  return files;
}
