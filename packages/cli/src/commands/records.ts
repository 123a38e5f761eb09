import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { RecordsOptions } from './runner-options.js';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { assertStoreExists } from '../internal/assert-store-exists.js';

const example = 'procvision runner records --store ./runtime_store --pid A01 --since 2026-12-01T00:00:00Z';

/**
 * `procvision runner records [export <dir>]`: lists the steps a station recorded (read-only,
 * safe while the runner writes), or writes them as a golden set `procvision eval` reads
 * (`ok/` and `ng/`, the recorded verdict as label, `records.json` beside them).
 */
export async function runnerRecords(action: string | undefined, directory: string | undefined, options: RecordsOptions, output: Output): Promise<number> {
  if (action !== undefined && action !== 'export') throw new UsageError(`unknown records action '${action}': list (no action) or export <dir>.`, { example });
  if (action === 'export' && directory === undefined)
    throw new UsageError('records export needs the folder to write the golden set to.', { example: 'procvision runner records export golden/ --pid A01' });
  const { defaultStoreRoot, listRecords, exportRecords } = await import('@procvision/runner/store');
  const root = resolve(options.store ?? defaultStoreRoot());
  assertStoreExists(root);
  const since = options.since === undefined ? undefined : new Date(options.since);
  if (since !== undefined && Number.isNaN(since.getTime())) throw new UsageError(`--since: expected an ISO 8601 time, got '${options.since}'.`, { example });
  const listing = await listRecords(resolve(root, 'records'), {
    ...(options.pid === undefined ? {} : { pid: options.pid }),
    ...(since === undefined ? {} : { since }),
    ...(options.last === undefined ? {} : { last: options.last }),
  });
  if (action === 'export') {
    const target = resolve(directory as string);
    if (existsSync(target) && (!statSync(target).isDirectory() || readdirSync(target).length > 0))
      throw new UsageError(`${target} exists and is not an empty folder; export into a new folder.`, {
        example: 'procvision runner records export golden/ --pid A01',
      });
    const { default: sharp } = await import('sharp');
    const written = await exportRecords(listing.records, target, {
      encodeRaw: (pixels, frame) =>
        sharp(pixels, { raw: { width: frame.width, height: frame.height, channels: (frame.channels ?? 3) as 1 | 3 } })
          .png()
          .toBuffer(),
    });
    output.result({ ...written, torn_segments: listing.torn_segments }, () =>
      [
        `wrote ${written.ok} OK and ${written.ng} NG image(s) to ${target} (${written.left_out} left out: ERROR steps have no label)`,
        `next: procvision eval <project> ${target} --pid ${options.pid ?? '<pid>'}`,
      ].join('\n'),
    );
    return ExitCodes.success;
  }
  const records = listing.records.map((record) => record.header);
  output.result({ records, torn_segments: listing.torn_segments }, () =>
    [
      `${records.length} record(s) in ${resolve(root, 'records')}${listing.torn_segments > 0 ? ` (${listing.torn_segments} torn last record(s) skipped)` : ''}`,
      ...records.map(
        (record) =>
          `  ${record.at}  ${record.pid}  ${record.package.name}@${record.package.version}  step ${record.step_index}  ${record.verdict}${record.error_code === null ? '' : ` ${record.error_code}`}  ${record.step_ms} ms  ${record.id}`,
      ),
    ].join('\n'),
  );
  return ExitCodes.success;
}
