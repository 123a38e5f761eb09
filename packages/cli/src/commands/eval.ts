import { existsSync, statSync } from 'node:fs';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ExecuteResult } from '@procvision/manifest';
import type { ConfusionTable, RectMatch, Verdict } from '@procvision/runner';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { loadProject } from '../internal/load-project.js';
import { parseParamsOption } from '../internal/parse-params.js';
import { prepareProject } from '../internal/prepare-project.js';
import { readImageFile } from '../internal/read-image-file.js';
import { shellQuote } from '../internal/shell-quote.js';
import { startProjectAlgorithm } from '../internal/start-algorithm.js';
import { runProjectStep } from '../internal/step-run.js';
import { stepRunDocument } from '../internal/step-run-document.js';
import { writeStepReport } from '../internal/report/write-report.js';
import { evalReportHtml } from '../internal/report/eval-html.js';
import { readGoldenSet } from '../internal/golden/golden-set.js';
import type { EvalDocument, EvalImageResult } from '../internal/golden/eval-document.js';
import { ErrorCodes } from '@procvision/manifest';

/** Options of `procvision eval`. */
export interface EvalOptions {
  pid?: string;
  step: number;
  params?: string;
  timeoutMs?: number;
  report?: string;
  baseline?: string;
  maxMisses: number;
}

/**
 * `procvision eval [project] <folder>`: every image of a golden set through one algorithm
 * process (as `run` does, one session per image), compared with its label. Exit 1 when more
 * than `--max-misses` images miss their label or, with `--baseline`, any verdict changed.
 */
export async function evalCommand(first: string | undefined, second: string | undefined, options: EvalOptions, output: Output): Promise<number> {
  const [project, folder] = second === undefined ? ['.', first] : [first ?? '.', second];
  const example = `procvision eval ${shellQuote(project)} ${shellQuote(folder ?? 'samples')} --step ${options.step}`;
  if (folder === undefined) throw new UsageError('eval needs a golden-set folder (with ok/ and ng/ subfolders of images, or a labels.json).', { example });
  const userParams = parseParamsOption(options.params, `${example} --params '{"threshold": 0.6}'`);
  const loaded = await loadProject(project, 'eval');
  const { manifest } = loaded;
  const pid = options.pid ?? manifest.supported_pids[0];
  if (pid === undefined || !manifest.supported_pids.includes(pid)) {
    throw new UsageError(`unknown PID '${pid}': ${manifest.name} supports ${manifest.supported_pids.join(', ')} (manifest.json supported_pids).`, {
      code: ErrorCodes.invalidPid,
      example,
    });
  }
  const golden = await readGoldenSet(folder, example);
  const baseline = options.baseline === undefined ? undefined : await readBaseline(options.baseline, example);
  if (options.report !== undefined && existsSync(options.report) && !statSync(options.report).isDirectory()) {
    throw new UsageError(`--report ${resolve(options.report)} is a file; pass a folder.`, { example: `${example} --report eval-report/` });
  }
  const { confusionOf, latencySummary, matchRects, ngPrecisionRecall, verdictOf } = await import('@procvision/runner');
  await prepareProject(loaded, output);
  const algorithm = await startProjectAlgorithm(loaded, output, options.timeoutMs);
  const results: EvalImageResult[] = [];
  const reports: Array<{ result: EvalImageResult; write: (directory: string) => Promise<string> }> = [];
  try {
    for (const [index, entry] of golden.images.entries()) {
      output.progress(`image ${index + 1}/${golden.images.length}: ${entry.file}`);
      const image = await readImageFile(entry.path, example, entry.file);
      algorithm.thrown.length = 0;
      const run = await runProjectStep(algorithm, { pid, step: options.step, userParams, image, example });
      const crash = await algorithm.thrownIn(run.outcome);
      const got = verdictOf(run.outcome);
      const defectRects = run.outcome.execute?.data?.defect_rects ?? [];
      const rects = entry.defectRects === undefined ? undefined : summary(matchRects(entry.defectRects, defectRects));
      const result: EvalImageResult = {
        file: entry.file,
        expected: entry.expected,
        got,
        match: got === entry.expected && (rects === undefined || (rects.lost === 0 && rects.moved === 0)),
        error_code: run.outcome.errorCode ?? null,
        message: messageOf(run.outcome.execute, run.outcome.message),
        execute_ms: run.timings.execute_ms ?? null,
        step_ms: run.timings.step_ms,
        defect_rects: defectRects,
        ...(rects === undefined ? {} : { rects }),
      };
      results.push(result);
      if (!result.match && options.report !== undefined) {
        const document = stepRunDocument(run.outcome, run.timings);
        const write = async (directory: string) =>
          (
            await writeStepReport(directory, {
              project: loaded,
              pid,
              step: options.step,
              image,
              userParams,
              effectiveParams: run.effectiveParams,
              thrown: crash === undefined ? [] : [crash],
              document,
              timings: run.timings,
            })
          ).directory;
        reports.push({ result, write });
      }
    }
  } finally {
    await algorithm.close();
  }
  const table: ConfusionTable = confusionOf(results.map((result) => [result.expected, result.got] as const));
  const misses = results.filter((result) => !result.match).length;
  const document: EvalDocument = {
    project: loaded.root,
    name: manifest.name,
    version: manifest.version,
    pid,
    step: options.step,
    folder: golden.folder,
    source: golden.source,
    images: results.length,
    matched: results.length - misses,
    misses,
    max_misses: options.maxMisses,
    confusion: { expected: { OK: table.OK, NG: table.NG } },
    ng: ngPrecisionRecall(table),
    execute: latencySummary(results.flatMap((result) => (result.execute_ms === null ? [] : [result.execute_ms]))),
    slowest: [...results]
      .sort((a, b) => b.step_ms - a.step_ms)
      .slice(0, 5)
      .map(({ file, execute_ms, step_ms }) => ({ file, execute_ms, step_ms })),
    results,
  };
  if (baseline !== undefined) document.baseline = compareBaseline(baseline, results);
  if (options.report !== undefined) {
    const directory = resolve(options.report);
    await mkdir(directory, { recursive: true });
    for (const [index, { result, write }] of reports.entries()) {
      result.report = await write(join(directory, 'misses', `${String(index + 1).padStart(4, '0')}-${result.file.replace(/[^A-Za-z0-9._-]+/g, '_')}`));
    }
    const files = { directory, html: join(directory, 'index.html'), json: join(directory, 'eval.json') };
    document.report = files;
    await writeFile(files.json, `${JSON.stringify(document, null, 2)}\n`);
    await writeFile(files.html, evalReportHtml(document));
  }
  output.result(document, () => formatEval(document));
  const changed = document.baseline?.changed.length ?? 0;
  return misses > options.maxMisses || changed > 0 ? ExitCodes.failure : ExitCodes.success;
}

function summary(match: RectMatch): NonNullable<EvalImageResult['rects']> {
  return { matched: match.matched.length, moved: match.moved.length, lost: match.lost.length, added: match.added.length };
}

function messageOf(execute: ExecuteResult | undefined, fallback: string): string {
  if (execute?.data?.result_status === 'NG') return execute.data.ng_reason ?? execute.message ?? fallback;
  return execute?.message ?? fallback;
}

/** A saved `eval --json` document: its per-image verdicts. */
async function readBaseline(file: string, example: string): Promise<{ file: string; verdicts: Map<string, Verdict> }> {
  const path = resolve(file);
  if (!existsSync(path) || !statSync(path).isFile())
    throw new UsageError(`--baseline ${path} does not exist; pass a file saved from eval --json.`, { example });
  if (statSync(path).size > 256 * 1024 * 1024) throw new UsageError(`--baseline ${path} is larger than 256 MiB.`, { example });
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`--baseline ${path} is not JSON (${(error as Error).message}); pass a file saved from eval --json.`, { example, cause: error });
  }
  const results = (value as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) throw new UsageError(`--baseline ${path} has no "results" array; pass a file saved from eval --json.`, { example });
  const verdicts = new Map<string, Verdict>();
  for (const [index, item] of results.entries()) {
    const { file: name, got } = (item ?? {}) as { file?: unknown; got?: unknown };
    if (typeof name !== 'string' || (got !== 'OK' && got !== 'NG' && got !== 'ERROR')) {
      throw new UsageError(`--baseline ${path}: results[${index}] needs "file" and "got" (OK, NG or ERROR).`, { example });
    }
    verdicts.set(name, got);
  }
  return { file: path, verdicts };
}

function compareBaseline(
  baseline: { file: string; verdicts: Map<string, Verdict> },
  results: readonly EvalImageResult[],
): NonNullable<EvalDocument['baseline']> {
  const changed: Array<{ file: string; before: Verdict; after: Verdict }> = [];
  const notInBaseline: string[] = [];
  for (const result of results) {
    const before = baseline.verdicts.get(result.file);
    if (before === undefined) notInBaseline.push(result.file);
    else if (before !== result.got) changed.push({ file: result.file, before, after: result.got });
  }
  const seen = new Set(results.map((result) => result.file));
  return { file: baseline.file, changed, not_in_baseline: notInBaseline, not_in_run: [...baseline.verdicts.keys()].filter((file) => !seen.has(file)) };
}

const ratio = (value: number | null) => (value === null ? 'n/a' : value.toFixed(3));
const ms = (value: number | null) => (value === null ? 'n/a' : `${value} ms`);

/** The confusion table as aligned text (rows: the reference verdicts given). */
export function confusionText(rows: Partial<Record<Verdict, Record<Verdict, number>>>, rowTitle: string, columnTitle: string): string[] {
  const columns: Verdict[] = ['OK', 'NG', 'ERROR'];
  const head = ['', ...columns.map((column) => `${columnTitle} ${column}`)];
  const body = Object.entries(rows).map(([row, cells]) => [`${rowTitle} ${row}`, ...columns.map((column) => String(cells[column]))]);
  const widths = head.map((_, index) => Math.max(...[head, ...body].map((line) => (line[index] ?? '').length)));
  return [head, ...body].map((line) =>
    line.map((cell, index) => (index === 0 ? cell.padEnd(widths[index] ?? 0) : cell.padStart(widths[index] ?? 0))).join('  '),
  );
}

function formatEval(document: EvalDocument): string {
  const lines = [
    `${document.name} ${document.version}, PID ${document.pid}, step ${document.step}: ${document.images} images (${document.source}), ${document.matched} match, ${document.misses} miss(es)`,
    ...confusionText(document.confusion.expected, 'expected', 'got'),
    `NG precision ${ratio(document.ng.precision)}, recall ${ratio(document.ng.recall)}`,
    `execute p50 ${ms(document.execute.p50_ms)}, p99 ${ms(document.execute.p99_ms)}`,
    `slowest: ${document.slowest.map((item) => `${item.file} ${item.step_ms} ms`).join(', ')}`,
    'images:',
    ...document.results.map(
      (result) =>
        `  ${result.match ? 'ok  ' : 'MISS'} ${result.file}: expected ${result.expected}, got ${result.got}${result.error_code === null ? '' : ` ${result.error_code}`}` +
        `${result.message === '' ? '' : ` (${result.message})`}${result.rects === undefined ? '' : `, rects ${result.rects.matched} matched, ${result.rects.moved} moved, ${result.rects.lost} lost, ${result.rects.added} added`}, ${ms(result.execute_ms)}`,
    ),
  ];
  if (document.baseline !== undefined) {
    const { changed, not_in_baseline: added, not_in_run: gone, file } = document.baseline;
    lines.push(`baseline ${file}: ${changed.length} verdict(s) changed`);
    for (const change of changed) lines.push(`  changed ${change.file}: ${change.before} -> ${change.after}`);
    if (added.length > 0) lines.push(`  not in the baseline: ${added.join(', ')}`);
    if (gone.length > 0) lines.push(`  in the baseline, not in this run: ${gone.join(', ')}`);
  }
  if (document.report !== undefined) lines.push(`report: ${document.report.html}`);
  if (document.misses > document.max_misses) lines.push(`FAILED: ${document.misses} miss(es), more than --max-misses ${document.max_misses}`);
  return lines.join('\n');
}
