import { ErrorCodes } from '@procvision/manifest';
import type { RunnerClient } from '@procvision/runner/client';
import type { Station } from './fleet-file.js';
import { failedOutcome, type StationOutcome } from './station-outcome.js';

/** `--canary-replay N` of a fleet activation: how many records, and the disagreements allowed. */
export interface CanaryReplay {
  /** The canary station's newest N records of each PID of the rollout. */
  last: number;
  /** Changed verdicts allowed over all of them (`--canary-max-disagreements`, default 0). */
  maxDisagreements: number;
}

/**
 * Replays the canary station's newest records of each PID through the new version (`POST
 * /replay`, its own process on the station; nothing is activated) before the rollout touches
 * any binding. Resolves with the failed canary outcome when the disagreements pass the bound or
 * nothing was recorded, else with a one-line summary for the canary's detail.
 */
export async function canaryReplay(
  client: RunnerClient,
  station: Station,
  plan: { name: string; version: string; pids: readonly string[] },
  replay: CanaryReplay,
): Promise<{ failed: StationOutcome } | { summary: string }> {
  let records = 0;
  let disagreements = 0;
  const changed: string[] = [];
  try {
    for (const pid of plan.pids) {
      const body = await client.replay({ name: plan.name, version: plan.version, pid, last: replay.last, max_disagreements: replay.maxDisagreements });
      records += body.records;
      disagreements += body.disagreements;
      for (const step of body.changed.filter((item) => !item.agree).slice(0, 3)) changed.push(`${step.id} ${step.recorded.verdict}->${step.candidate.verdict}`);
    }
  } catch (error) {
    return { failed: { ...failedOutcome(station, error, 'canary replay failed: '), canary: true } };
  }
  const summary = `canary replay: ${disagreements} of ${records} recorded step(s) changed verdict${changed.length === 0 ? '' : ` (${changed.join(', ')})`}`;
  const why =
    records === 0
      ? `canary replay found no recorded step of ${plan.pids.join(',')} (turn recording on in the station's config.json)`
      : disagreements > replay.maxDisagreements
        ? `${summary}, more than --canary-max-disagreements ${replay.maxDisagreements}`
        : undefined;
  if (why === undefined) return { summary };
  return {
    failed: { station: station.name, url: station.url, result: 'failed', code: ErrorCodes.canaryFailed, detail: `${why}; nothing was changed`, canary: true },
  };
}
