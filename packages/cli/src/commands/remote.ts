import { openAsBlob } from 'node:fs';
import { basename } from 'node:path';
import { isErrorCode } from '@procvision/manifest';
import type { RunnerClient, StepResponseBody } from '@procvision/runner/client';
import type { RunnerActivateOptions, ExecOptions, InstallOptions, UninstallOptions } from './runner-options.js';
import type { StoreOptions } from '../internal/store-options.js';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { readGuideOptions } from '../internal/guide-options.js';
import { parseParamsOption } from '../internal/parse-params.js';
import { readImageFile } from '../internal/read-image-file.js';
import { checkCallerPath } from '../internal/read-caller-path.js';
import { resolveSignaturePolicy } from '../internal/signature/signature-policy.js';
import { checkRemoteFlags, clientFor, defaultToken, type RemoteFlags } from '../internal/remote/remote-options.js';
import { remoteCall } from '../internal/remote/remote-failure.js';
import { activateOnStation, stationBindings } from '../internal/remote/station-bindings.js';

/** Options of a `runner` command in remote mode (`--url`). */
export type RemoteOptions<Local extends StoreOptions> = Local & RemoteFlags & { url: string };

async function connect(flags: RemoteFlags & { url: string }, example: string): Promise<RunnerClient> {
  checkRemoteFlags(flags, example);
  return clientFor({ url: flags.url, name: flags.url }, await defaultToken(flags, example));
}

/**
 * The delivery zip to upload: checked as a regular file of bounded size, verified locally (the
 * `--trusted-key` / `--require-signature` flags apply here; the station applies its own policy
 * again), then streamed from disk. Returns the zip's name and version too.
 */
export async function uploadableZip(zip: string, flags: InstallOptions, example: string): Promise<{ blob: Blob; name: string; version: string; path: string }> {
  const path = await checkCallerPath(zip, { field: 'the zip', maxBytes: 1024 * 1024 * 1024, hint: 'pass a delivery zip made by procvision package', example });
  const policy = await resolveSignaturePolicy(flags, example);
  const { verifyDeliveryZip } = await import('@procvision/packager');
  const verified = await verifyDeliveryZip(path, { trustedKeys: policy.trustedKeys, requireSignature: policy.requireSignature }).catch((error: unknown) => {
    const code = (error as { code?: unknown }).code;
    throw new UsageError(`${zip} is not an installable delivery zip: ${(error as Error).message}`, { example, ...(isErrorCode(code) ? { code } : {}) });
  });
  // A File (its bytes still read lazily from disk) so the station archives it under its delivery name.
  const blob = new File([await openAsBlob(path, { type: 'application/zip' })], basename(path), { type: 'application/zip' });
  return { blob, name: verified.manifest.name, version: verified.manifest.version, path };
}

/** `runner install <zip> --url URL`: verifies the zip here, uploads it, the station installs it offline. */
export async function remoteInstall(zip: string, options: RemoteOptions<InstallOptions>, output: Output): Promise<number> {
  const example = `procvision runner install ${zip} --url ${options.url} --token-file station.token`;
  const client = await connect(options, example);
  const upload = await uploadableZip(zip, options, example);
  output.progress(`uploading ${upload.name} ${upload.version} to ${client.url}...`);
  const { package: entry } = await remoteCall(() => client.install(upload.blob), example);
  output.result(
    { url: client.url, package: entry },
    () => `installed ${entry.name} ${entry.version} on ${client.url} (PIDs ${entry.supported_pids.join(', ')})`,
  );
  return ExitCodes.success;
}

/** `runner list --url URL`: the station's packages and active pids. */
export async function remoteList(options: RemoteOptions<StoreOptions>, output: Output): Promise<number> {
  const example = `procvision runner list --url ${options.url}`;
  const client = await connect(options, example);
  const { packages, bindings } = await remoteCall(() => stationBindings(client), example);
  output.result({ url: client.url, packages, active: bindings }, () => {
    if (packages.length === 0) return `no packages installed on ${client.url}`;
    return [
      `station ${client.url}`,
      ...packages.map(
        (entry) =>
          `${entry.name} ${entry.version}  ${entry.state}  PIDs ${entry.supported_pids.join(', ')}  ${entry.active_pids.length === 0 ? 'not active' : `active for ${entry.active_pids.join(', ')}`}`,
      ),
    ].join('\n');
  });
  return ExitCodes.success;
}

/** `runner activate <name> <version> --pid P --url URL`: switch or activate on the station, as locally. */
export async function remoteActivate(name: string, version: string, options: RemoteOptions<RunnerActivateOptions>, output: Output): Promise<number> {
  const example = `procvision runner activate ${name} ${version} --pid ${options.pid.join(',')} --url ${options.url}`;
  const client = await connect(options, example);
  const { bindings } = await remoteCall(() => stationBindings(client), example);
  const how = await remoteCall(() => activateOnStation(client, name, version, options.pid, bindings), example);
  const after = await remoteCall(() => stationBindings(client), example);
  output.result(
    { url: client.url, name, version, pids: options.pid, result: how, active: after.bindings },
    () => `${options.pid.join(', ')} -> ${name} ${version} on ${client.url} (${how})`,
  );
  return ExitCodes.success;
}

/** `runner rollback <name> --pid P --url URL`. */
export async function remoteRollback(name: string, options: RemoteOptions<RunnerActivateOptions>, output: Output): Promise<number> {
  const example = `procvision runner rollback ${name} --pid ${options.pid.join(',')} --url ${options.url}`;
  const client = await connect(options, example);
  await remoteCall(() => client.rollback(name, options.pid), example);
  const { bindings } = await remoteCall(() => stationBindings(client), example);
  output.result({ url: client.url, name, pids: options.pid, active: bindings }, () =>
    options.pid.map((pid) => `${pid} -> ${bindings[pid]?.name ?? '?'} ${bindings[pid]?.version ?? '?'} on ${client.url}`).join('\n'),
  );
  return ExitCodes.success;
}

/** `runner uninstall <name> <version> --url URL [--force]`. */
export async function remoteUninstall(name: string, version: string, options: RemoteOptions<UninstallOptions>, output: Output): Promise<number> {
  const example = `procvision runner uninstall ${name} ${version} --url ${options.url}`;
  const client = await connect(options, example);
  const { uninstalled } = await remoteCall(() => client.uninstall(name, version, { force: options.force === true }), example);
  output.result({ url: client.url, uninstalled }, () => `uninstalled ${uninstalled.name} ${uninstalled.version} on ${client.url}`);
  return ExitCodes.success;
}

/** A step answer in one line: `A01 step 1: OK (verdict OK) in 12.3 ms`. */
export function describeStep(pid: string, body: StepResponseBody): string {
  const verdict = body.result_status === undefined ? '' : ` (verdict ${body.result_status})`;
  return `${pid} step ${body.step_index}: ${body.status}${verdict} in ${body.timings.total_ms} ms${body.status === 'OK' ? '' : `: ${body.message}`}`;
}

/** `runner exec --pid P --image F --url URL`: one step on the station (the image travels as the request body; with a guide image, both as Base64 JSON). */
export async function remoteExec(options: RemoteOptions<ExecOptions>, output: Output): Promise<number> {
  const example = `procvision runner exec --pid ${options.pid} --image part.jpg --url ${options.url}`;
  const userParams = parseParamsOption(options.params, example);
  const image = await readImageFile(options.image, example);
  const guide = await readGuideOptions(options, example);
  const client = await connect(options, example);
  const request = {
    pid: options.pid,
    step_index: options.step,
    // Bytes: the client sends the image as the body (no Base64) unless a guide image travels too.
    image: new Uint8Array(image.bytes),
    ...(Object.keys(userParams).length === 0 ? {} : { user_params: userParams }),
    ...(guide.guideImage === undefined ? {} : { guide_image: new Uint8Array(guide.guideImage.bytes) }),
    ...(guide.guideInfo === undefined ? {} : { guide_info: guide.guideInfo }),
    ...(guide.stepDesc === undefined ? {} : { step_desc: guide.stepDesc }),
  };
  const body = await remoteCall(() => client.execute(request), example);
  output.result({ url: client.url, ...body }, () => `${client.url}\n${describeStep(options.pid, body)}`);
  return body.status === 'OK' ? ExitCodes.success : ExitCodes.failure;
}

/** `runner status --url URL`: health, readiness and what each pid runs. */
export async function remoteStatus(options: RemoteFlags & { url: string }, output: Output): Promise<number> {
  const example = `procvision runner status --url ${options.url}`;
  const client = await connect(options, example);
  const health = await remoteCall(() => client.health(), example);
  const ready = await remoteCall(() => client.ready(), example);
  const { bindings } = await remoteCall(() => stationBindings(client), example);
  output.result({ url: client.url, health, ready, active: bindings }, () =>
    [
      `${client.url}: ${ready.ready ? 'ready' : `not ready (${ready.reasons.join('; ')})`}, up ${Math.round(health.uptime_s)} s`,
      ...Object.entries(bindings).map(([pid, ref]) => `  ${pid} -> ${ref.name} ${ref.version}`),
    ].join('\n'),
  );
  return ready.ready ? ExitCodes.success : ExitCodes.failure;
}
