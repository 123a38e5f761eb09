import { existsSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ExecuteResult, Rect } from '@procvision/manifest';
import type { ReplayReport, SegmentRecord } from '@procvision/runner/store';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { shellQuote } from '../internal/shell-quote.js';
import { assertStoreExists } from '../internal/assert-store-exists.js';
import { annotateImage } from '../internal/report/annotate-image.js';
import { rectsOf } from '../internal/report/rect-overlay.js';
import { replayReportHtml, type ReplayFigure } from '../internal/report/replay-html.js';
import { checkRemoteFlags, clientFor, defaultToken, type RemoteFlags } from '../internal/remote/remote-options.js';
import { remoteCall } from '../internal/remote/remote-failure.js';
import { confusionText } from './eval.js';
import { withStore } from './runner.js';
import type { StoreOptions } from '../internal/store-options.js';

/** Options of `procvision runner replay`. */
export interface ReplayOptions extends StoreOptions, RemoteFlags {
  pid?: string;
  last?: number;
  since?: string;
  report?: string;
  maxDisagreements: number;
  /** Replay the frames shadow runs disagreed on (`<store>/shadow-records`). */
  shadow?: boolean;
}

/** Records replayed when neither `--last` nor `--since` is given. */
const defaultLast = 1000;

/** What `runner replay --json` prints. */
type ReplayDocument = ReplayReport & {
  source: string;
  pid: string | null;
  torn_segments: number;
  max_disagreements: number;
  passed: boolean;
  report?: { directory: string; html: string; json: string };
};

/**
 * `procvision runner replay <name> <version>`: the station's recorded frames through an
 * installed version's own process (never the one serving the station), with the recorded
 * user params and context, compared with the recorded answers. Local store, or a station's
 * service with `--url` (`POST /replay`). Exit 1 above `--max-disagreements` (default 0).
 */
export async function runnerReplay(name: string, version: string, options: ReplayOptions, output: Output): Promise<number> {
  const example = `procvision runner replay ${shellQuote(name)} ${shellQuote(version)} --pid ${options.pid ?? '<pid>'} --last 500`;
  const since = options.since === undefined ? undefined : new Date(options.since);
  if (since !== undefined && Number.isNaN(since.getTime())) throw new UsageError(`--since: expected an ISO 8601 time, got '${options.since}'.`, { example });
  if (options.report !== undefined && existsSync(options.report) && !statSync(options.report).isDirectory())
    throw new UsageError(`--report ${resolve(options.report)} is a file; pass a folder.`, { example: `${example} --report replay-report/` });
  const last = options.last ?? (since === undefined ? defaultLast : 10_000);
  let document: ReplayDocument;
  let frames: Map<string, SegmentRecord> | undefined;
  if (options.url !== undefined) {
    checkRemoteFlags(options, example);
    if (last > 10_000) throw new UsageError(`--last ${last}: a station replays at most 10000 records per call.`, { example });
    const client = await clientFor({ url: options.url, name: options.url }, await defaultToken(options, example));
    output.progress(`replaying on ${client.url} through ${name} ${version}...`);
    const body = await remoteCall(
      () =>
        client.replay({
          name,
          version,
          last,
          max_disagreements: options.maxDisagreements,
          ...(options.pid === undefined ? {} : { pid: options.pid }),
          ...(options.since === undefined ? {} : { since: options.since }),
          ...(options.shadow === true ? { shadow: true } : {}),
        }),
      example,
    );
    document = { ...body, source: client.url, pid: options.pid ?? null };
  } else {
    const { defaultStoreRoot, listRecords, replayRecords } = await import('@procvision/runner/store');
    const root = resolve(options.store ?? defaultStoreRoot());
    assertStoreExists(root);
    const folder = join(root, options.shadow === true ? 'shadow-records' : 'records');
    const listing = await listRecords(folder, { ...(options.pid === undefined ? {} : { pid: options.pid }), ...(since === undefined ? {} : { since }), last });
    frames = new Map(listing.records.map((record) => [record.header.id, record]));
    const report = await withStore(
      options,
      output,
      async (store) => {
        output.progress(`starting ${name} ${version} (its own process)...`);
        const started = await store.startDetached(name, version);
        try {
          if (started.process === undefined) throw new UsageError(`the store runs no algorithm process for ${name}@${version}`, { example });
          return await replayRecords(listing.records, started.process, {
            onProgress: (done, total) => {
              if (done % 50 === 0 || done === total) output.progress(`replayed ${done}/${total}`);
            },
          });
        } finally {
          await started.stop();
        }
      },
      { create: false, readOnly: true },
    );
    document = {
      ...report,
      source: folder,
      pid: options.pid ?? null,
      torn_segments: listing.torn_segments,
      max_disagreements: options.maxDisagreements,
      passed: report.disagreements <= options.maxDisagreements,
    };
  }
  if (options.report !== undefined) document.report = await writeReplayReport(resolve(options.report), document, frames);
  output.result(document, () => formatReplay(document));
  return document.passed ? ExitCodes.success : ExitCodes.failure;
}

/** Writes index.html, replay.json and, for each changed step whose frame is at hand, the recorded and candidate answers drawn on it. */
async function writeReplayReport(directory: string, document: ReplayDocument, frames: Map<string, SegmentRecord> | undefined) {
  const { readRecordFrame } = await import('@procvision/runner/store');
  await mkdir(join(directory, 'changed'), { recursive: true });
  const figures: ReplayFigure[] = [];
  for (const [index, step] of document.changed.entries()) {
    const record = frames?.get(step.id);
    if (record === undefined) {
      figures.push({ step });
      continue;
    }
    const image = await encodedFrame(record, await readRecordFrame(record));
    const base = `changed/${String(index + 1).padStart(4, '0')}`;
    const recordedExecute = record.header.execute as ExecuteResult | null;
    await writeFile(join(directory, `${base}-recorded.png`), await annotateImage(image, rectsOf(undefined, recordedExecute ?? undefined)));
    const candidateExecute = step.candidate.execute as ExecuteResult | null;
    const candidateRects =
      candidateExecute === null ? step.candidate.defect_rects.map((rect: Rect) => ({ kind: 'defect' as const, rect })) : rectsOf(undefined, candidateExecute);
    await writeFile(join(directory, `${base}-candidate.png`), await annotateImage(image, candidateRects));
    figures.push({ step, images: { recorded: `${base}-recorded.png`, candidate: `${base}-candidate.png` } });
  }
  const files = { directory, html: join(directory, 'index.html'), json: join(directory, 'replay.json') };
  await writeFile(files.json, `${JSON.stringify({ ...document, report: files }, null, 2)}\n`);
  await writeFile(files.html, replayReportHtml(document, figures));
  return files;
}

/** The record's frame as an encoded image sharp reads (raw pixels become PNG). */
async function encodedFrame(record: SegmentRecord, bytes: Buffer): Promise<Uint8Array> {
  const { frame } = record.header;
  if (frame.encoding !== 'raw') return bytes;
  const { default: sharp } = await import('sharp');
  return sharp(bytes, { raw: { width: frame.width, height: frame.height, channels: (frame.channels ?? 3) as 1 | 3 } })
    .png()
    .toBuffer();
}

function formatReplay(document: ReplayDocument): string {
  const ms = (value: number | null) => (value === null ? 'n/a' : `${value} ms`);
  const { step_ms: times, rects } = document;
  const lines = [
    `${document.records} record(s) from ${document.source}${document.pid === null ? '' : ` (PID ${document.pid})`} through ${document.candidate.name} ${document.candidate.version}: ${document.disagreements} disagreement(s)`,
    `recorded by ${document.recorded.map((entry) => `${entry.name} ${entry.version} (${entry.records})`).join(', ') || 'nothing'}${document.torn_segments > 0 ? `; ${document.torn_segments} torn last record(s) skipped` : ''}`,
    ...confusionText(document.confusion.recorded, 'recorded', 'candidate'),
    `defect rects: ${rects.matched} matched, ${rects.moved} moved, ${rects.lost} lost, ${rects.added} added`,
    `step time p50/p99: recorded ${ms(times.recorded.p50_ms)}/${ms(times.recorded.p99_ms)}, candidate ${ms(times.candidate.p50_ms)}/${ms(times.candidate.p99_ms)}`,
  ];
  if (document.changed.length > 0) lines.push('changed:');
  for (const step of document.changed.slice(0, 50))
    lines.push(
      `  ${step.at}  ${step.id}  ${step.recorded.verdict} -> ${step.candidate.verdict}${step.candidate.error_code === null ? '' : ` ${step.candidate.error_code}`}` +
        `  rects ${step.rects.matched}/${step.rects.moved}/${step.rects.lost}/${step.rects.added} (matched/moved/lost/added)  ${step.candidate.message}`,
    );
  if (document.changed.length > 50) lines.push(`  ... ${document.changed.length - 50} more (--json or --report for all)`);
  if (document.report !== undefined) lines.push(`report: ${document.report.html}`);
  if (!document.passed) lines.push(`FAILED: ${document.disagreements} disagreement(s), more than --max-disagreements ${document.max_disagreements}`);
  return lines.join('\n');
}
