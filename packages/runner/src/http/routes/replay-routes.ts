import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import { listRecords } from '../../records/record-reader.js';
import type { Recorder } from '../../records/recorder.js';
import { replayRecords } from '../../records/replay.js';
import type { StartedProcess } from '../../store/process-starter.js';
import { readJsonBody } from '../read-body.js';
import { parseRequest, replayRequestSchema } from '../request-schemas.js';
import type { Route } from '../router.js';
import type { ServiceContext } from '../service-context.js';

/** Records replayed when the request gives no `last`. */
const defaultReplayed = 100;

/** Where `POST /replay` finds records and candidates. */
export interface ReplaySources {
  /** `<store>/records`. */
  records: string;
  /** `<store>/shadow-records`. */
  shadowRecords: string;
  /** The station's recorder (flushed before the records are read). */
  recorder: Recorder | undefined;
  /** Starts a version's own process. */
  startDetached(name: string, version: string): Promise<StartedProcess>;
}

/**
 * `POST /replay`: the newest `last` (default 100) recorded steps of a PID (or every PID) through
 * an installed version's own process, never the one serving the station; answers the replay
 * report with `passed` (disagreements at most `max_disagreements`, default 0). One replay at a
 * time (3009 while one runs).
 */
export function replayRoutes(context: ServiceContext, sources: ReplaySources): Route[] {
  let running = false;
  return [
    {
      method: 'POST',
      pattern: '/replay',
      async handle({ request }) {
        const body = parseRequest(replayRequestSchema, await readJsonBody(request, context.limits.jsonBytes, context.limits.maxJsonDepth), 'replay request');
        if (running)
          throw new ProcVisionError(ErrorCodes.serviceBusy, 'a replay is running on this station; retry when it is done', { details: { retry_after_s: 5 } });
        running = true;
        try {
          await sources.recorder?.flush();
          const listing = await listRecords(body.shadow === true ? sources.shadowRecords : sources.records, {
            ...(body.pid === undefined ? {} : { pid: body.pid }),
            ...(body.since === undefined ? {} : { since: new Date(body.since) }),
            last: body.last ?? defaultReplayed,
          });
          const started = await sources.startDetached(body.name, body.version);
          if (started.process === undefined) {
            await started.stop();
            throw new ProcVisionError(ErrorCodes.activationConflict, `the store's process starter runs no AlgorithmProcess for ${body.name}@${body.version}`);
          }
          try {
            const report = await replayRecords(listing.records, started.process);
            const maxDisagreements = body.max_disagreements ?? 0;
            return {
              json: { ...report, torn_segments: listing.torn_segments, max_disagreements: maxDisagreements, passed: report.disagreements <= maxDisagreements },
            };
          } finally {
            await started.stop();
          }
        } finally {
          running = false;
        }
      },
    },
  ];
}
