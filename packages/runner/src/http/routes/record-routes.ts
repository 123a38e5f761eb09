import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import { listRecords } from '../../records/record-reader.js';
import type { Recorder } from '../../records/recorder.js';
import type { Route } from '../router.js';

/** The most records `GET /records` answers with (`last` caps lower). */
const maxListed = 10_000;
/** How many records `GET /records` answers with when `last` is not given. */
const defaultListed = 1_000;

/**
 * `GET /records?pid=&since=&last=`: the recorded steps (headers, no frames), oldest first, the
 * newest `last` (default 1000, at most 10000) of them, with the recorder's counters per PID.
 */
export function recordRoutes(recordsRoot: string, recorder: Recorder | undefined): Route[] {
  return [
    {
      method: 'GET',
      pattern: '/records',
      async handle({ query }) {
        const pid = query.get('pid') ?? undefined;
        const sinceText = query.get('since') ?? undefined;
        const lastText = query.get('last') ?? String(defaultListed);
        const since = sinceText === undefined ? undefined : new Date(sinceText);
        if (since !== undefined && Number.isNaN(since.getTime()))
          throw new ProcVisionError(ErrorCodes.invalidParams, `since: expected an ISO 8601 time (2026-12-05T06:00:00Z), got '${sinceText}'`);
        const last = Number(lastText);
        if (!/^\d+$/.test(lastText) || last < 1 || last > maxListed)
          throw new ProcVisionError(ErrorCodes.invalidParams, `last: expected a whole number from 1 to ${maxListed}, got '${lastText}'`);
        if (pid !== undefined && (pid.length === 0 || pid.length > 64)) throw new ProcVisionError(ErrorCodes.invalidParams, 'pid: expected 1 to 64 characters');
        await recorder?.flush();
        const listing = await listRecords(recordsRoot, { ...(pid === undefined ? {} : { pid }), ...(since === undefined ? {} : { since }), last });
        return { json: { records: listing.records.map((record) => record.header), torn_segments: listing.torn_segments, stats: recorder?.stats() ?? {} } };
      },
    },
  ];
}
