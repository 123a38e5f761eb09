import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readRecordFrame, readSegment, type RecordHeader, type SegmentRecord } from './record-format.js';
import { segmentPattern } from './recorder.js';

/** Which records to read. */
export interface RecordFilter {
  /** Only this PID. */
  pid?: string;
  /** Only records at or after this time. */
  since?: Date;
  /** Only the newest N (after the other filters). */
  last?: number;
}

/** Records found, oldest first, and how many segments ended in a torn record. */
export interface RecordListing {
  records: SegmentRecord[];
  /** Segments whose last record was torn (a crash mid-write): that record is skipped. */
  torn_segments: number;
}

/**
 * Reads the records under `<store>/records` (every PID, or one), oldest first. Read-only: it
 * never removes or repairs anything, so it is safe while a runner is writing.
 */
export async function listRecords(recordsRoot: string, filter: RecordFilter = {}): Promise<RecordListing> {
  if (!existsSync(recordsRoot)) return { records: [], torn_segments: 0 };
  const folders = filter.pid === undefined ? await readdir(recordsRoot) : [encodeURIComponent(filter.pid)];
  const records: SegmentRecord[] = [];
  let torn = 0;
  for (const folder of folders.sort()) {
    const directory = join(recordsRoot, folder);
    if (!existsSync(directory)) continue;
    const segments = (await readdir(directory)).filter((name) => segmentPattern.test(name)).sort();
    for (const segment of segments) {
      const read = await readSegment(join(directory, segment));
      if (read.torn) torn += 1;
      records.push(...read.records);
    }
  }
  let selected = records.filter((record) => filter.since === undefined || Date.parse(record.header.at) >= (filter.since as Date).getTime());
  selected.sort((a, b) => (a.header.at < b.header.at ? -1 : a.header.at > b.header.at ? 1 : 0));
  if (filter.last !== undefined) selected = selected.slice(Math.max(0, selected.length - filter.last));
  return { records: selected, torn_segments: torn };
}

/** What {@link exportRecords} wrote. */
export interface RecordExport {
  directory: string;
  ok: number;
  ng: number;
  /** ERROR records (no verdict to use as a label) and raw frames without `encodeRaw`: left out. */
  left_out: number;
}

/** How {@link exportRecords} writes raw frames. */
export interface ExportOptions {
  /** Encodes a raw frame (HWC pixels) as PNG; without it raw records are left out. */
  encodeRaw?: (pixels: Buffer, frame: RecordHeader['frame']) => Promise<Uint8Array>;
}

/**
 * Writes records as a golden set `procvision eval` reads: `ok/` and `ng/` image files named after
 * the record (verdict as label; raw frames as PNG), and `records.json` with each file's record
 * header (PID, step, user params, context, the recorded result).
 */
export async function exportRecords(records: readonly SegmentRecord[], directory: string, options: ExportOptions = {}): Promise<RecordExport> {
  const result: RecordExport = { directory, ok: 0, ng: 0, left_out: 0 };
  const headers: Record<string, unknown> = {};
  for (const label of ['ok', 'ng']) await mkdir(join(directory, label), { recursive: true });
  for (const record of records) {
    const { header } = record;
    if (header.verdict === 'ERROR') {
      result.left_out += 1;
      continue;
    }
    const label = header.verdict === 'OK' ? 'ok' : 'ng';
    const frame = await readRecordFrame(record);
    const extension = header.frame.encoding === 'jpeg' ? 'jpg' : 'png';
    const file = `${label}/${header.id.replace(/[^A-Za-z0-9_-]+/g, '-')}.${extension}`;
    if (header.frame.encoding === 'raw' && options.encodeRaw === undefined) {
      result.left_out += 1;
      continue;
    }
    const bytes = header.frame.encoding === 'raw' && options.encodeRaw !== undefined ? await options.encodeRaw(frame, header.frame) : frame;
    await writeFile(join(directory, file), bytes);
    headers[file] = header;
    result[label] += 1;
  }
  await writeFile(join(directory, 'records.json'), `${JSON.stringify(headers, null, 2)}\n`);
  return result;
}
