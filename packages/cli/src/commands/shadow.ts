import type { ShadowStats } from '@procvision/runner/client';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { checkRemoteFlags, clientFor, defaultToken, type RemoteFlags } from '../internal/remote/remote-options.js';
import { remoteCall } from '../internal/remote/remote-failure.js';
import { confusionText } from './eval.js';

/** Options of `procvision runner shadow`. */
export interface ShadowOptions extends RemoteFlags {
  pid?: string;
  /** `--queue N`: frames waiting for the candidate at most. */
  queue?: number;
}

const example = 'procvision runner shadow start <name> <version> --pid <pid> --url http://127.0.0.1:7070';

/**
 * `procvision runner shadow start <name> <version> --pid P | stop --pid P | status`: a
 * candidate version on a station's live frames (its service, `--url`, default
 * `http://127.0.0.1:7070`), after the active version answered; its agreement counters.
 */
export async function runnerShadow(
  action: string | undefined,
  name: string | undefined,
  version: string | undefined,
  options: ShadowOptions,
  output: Output,
): Promise<number> {
  const verb = action ?? 'status';
  if (!['start', 'stop', 'status'].includes(verb)) throw new UsageError(`unknown shadow action '${verb}': start, stop or status.`, { example });
  checkRemoteFlags(options, example);
  const client = await clientFor({ url: options.url ?? 'http://127.0.0.1:7070', name: options.url ?? 'local' }, await defaultToken(options, example));
  if (verb === 'status') {
    const { shadows } = await remoteCall(() => client.shadows(), example);
    const listed = options.pid === undefined ? shadows : shadows.filter((shadow) => shadow.pid === options.pid);
    output.result({ url: client.url, shadows: listed }, () => (listed.length === 0 ? `no shadow run on ${client.url}` : listed.map(formatShadow).join('\n\n')));
    return ExitCodes.success;
  }
  if (options.pid === undefined) throw new UsageError(`shadow ${verb} needs --pid.`, { example });
  const pid = options.pid;
  if (verb === 'stop') {
    const { shadow } = await remoteCall(() => client.stopShadow(pid), example);
    output.result({ url: client.url, shadow }, () => `stopped the shadow run on ${client.url}\n${formatShadow(shadow)}`);
    return ExitCodes.success;
  }
  if (name === undefined || version === undefined) throw new UsageError('shadow start needs the candidate: <name> <version>.', { example });
  output.progress(`starting ${name} ${version} on ${client.url} (its own process)...`);
  const { shadow } = await remoteCall(
    () => client.startShadow({ name, version, pid, ...(options.queue === undefined ? {} : { queue: options.queue }) }),
    example,
  );
  output.result({ url: client.url, shadow }, () =>
    [
      `${name} ${version} now shadows PID ${pid} on ${client.url} (queue ${shadow.queue_limit} frames)`,
      `next: procvision runner shadow status --url ${client.url}; disagreeing frames: procvision runner replay ${name} ${version} --shadow --url ${client.url}`,
    ].join('\n'),
  );
  return ExitCodes.success;
}

function formatShadow(shadow: ShadowStats): string {
  return [
    `PID ${shadow.pid}: ${shadow.candidate.name} ${shadow.candidate.version} since ${shadow.started_at}: ${shadow.compared} compared, ${shadow.agreements} agree, ${shadow.disagreements} disagree, ${shadow.dropped} dropped, ${shadow.queued} queued`,
    ...confusionText(shadow.confusion.active, 'active', 'candidate'),
    ...(shadow.last_error === null ? [] : [`last candidate error: ${shadow.last_error.code ?? ''} ${shadow.last_error.message}`]),
  ].join('\n');
}
