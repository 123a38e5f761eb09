import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { type BuiltDelivery, buildDeliveryZip, formatTarget } from '@procvision/packager';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { readSignKey } from '../internal/read-sign-key.js';
import { loadProject } from '../internal/load-project.js';
import { stageLinkedProject } from '../internal/package-staging.js';
import { prepareProject } from '../internal/prepare-project.js';
import { applyNpmOption, type NpmOption } from '../internal/npm-option.js';
import { describeTypeErrors, typecheckProject } from '../internal/typecheck-project.js';
import type { SourceMapMode } from '../internal/build-project.js';

/** Options of `procvision package`. */
export interface PackageOptions extends NpmOption {
  output?: string;
  target?: string[];
  nodeAbi?: number;
  skipDeps?: boolean;
  signKey?: string;
  refreshLock?: boolean;
  /** What the zip's source map holds: `lines` (default), `full` (with the TypeScript sources) or `none`. */
  sourceMaps?: SourceMapMode;
}

/**
 * `procvision package <project>`: compiles the project, then builds one offline delivery zip
 * per `--target` with @procvision/packager (default: this machine, or procvision.target.json).
 */
export async function packageCommand(project: string, options: PackageOptions, output: Output): Promise<number> {
  applyNpmOption(options);
  const targets: Array<string | undefined> = options.target ?? [undefined];
  if (options.output?.endsWith('.zip') === true && targets.length > 1) {
    throw new UsageError(`-o ${options.output} names one zip but ${targets.length} targets were given; pass a folder instead.`, {
      example: `procvision package ${project} -o release/ --target linux-x64 --target win32-x64`,
    });
  }
  if (options.output !== undefined && !options.output.endsWith('.zip') && existsSync(options.output) && !statSync(options.output).isDirectory()) {
    throw new UsageError(`-o ${resolve(options.output)} is a file; pass a folder for the zips or a path ending in .zip.`, {
      example: `procvision package ${project} -o release/`,
    });
  }
  const signKey =
    options.signKey === undefined ? undefined : await readSignKey(options.signKey, '--sign-key', `procvision package ${project} --sign-key keys/release.pem`);
  const loaded = await loadProject(project, 'package');
  const sourceMaps = options.sourceMaps ?? 'lines';
  await prepareProject(loaded, output, sourceMaps);
  output.progress('type-checking...');
  const types = await typecheckProject(loaded.root);
  if (types.checked && types.errors.length > 0) {
    output.error({
      message: `${project}: tsc --noEmit found ${types.errors.length} type error(s), no zip built: ${describeTypeErrors(types.errors)}`,
      example: `procvision validate ${project}`,
      code: 'types',
    });
    return ExitCodes.failure;
  }
  const stage = await stageLinkedProject(loaded.root);
  if (stage !== undefined) output.note(`delivering ${stage.linkedPackages.join(', ')} from the linked source checkout as first-party tarballs`);
  const destination = options.output === undefined ? join(loaded.root, 'release') : resolve(options.output);
  const built: BuiltDelivery[] = [];
  try {
    for (const target of targets) {
      built.push(
        await buildDeliveryZip(stage?.project ?? loaded.root, {
          output: destination,
          skipBuild: true,
          // npm reads the .npmrc files of the real project (and its enclosing folder), not of the staged copy.
          npmConfigDir: loaded.root,
          // The lockfile is the real project's, and a new one is written there.
          lockfileDir: loaded.root,
          ...(options.refreshLock === true ? { refreshLock: true } : {}),
          ...(target === undefined ? {} : { target }),
          ...(signKey === undefined ? {} : { signKey }),
          ...(options.nodeAbi === undefined ? {} : { nodeAbi: String(options.nodeAbi) }),
          ...(options.skipDeps === true ? { skipDeps: true } : {}),
          onProgress: (event) => output.progress(`${event.message}${event.total === undefined ? '' : ` ${event.current ?? 0}/${event.total}`}`),
        }),
      );
    }
  } finally {
    await stage?.cleanup();
  }
  const lockNote = lockfileNote(built[0]?.lockfile);
  if (lockNote !== undefined) output.note(lockNote);
  const document = {
    source_maps: sourceMaps,
    zips: built.map((delivery) => ({
      path: delivery.zipPath,
      name: delivery.delivery.name,
      version: delivery.delivery.version,
      target: formatTarget(delivery.target),
      node_abi: delivery.delivery.target.node_abi,
      files: Object.keys(delivery.delivery.files).length,
      dependencies: delivery.delivery.dependencies.map((dependency) => `${dependency.name}@${dependency.version}`),
      signer_key_id: delivery.signerKeyId,
      lockfile: delivery.lockfile,
    })),
  };
  output.result(document, () =>
    document.zips
      .map(
        (zip) =>
          `${relative(process.cwd(), zip.path) || zip.path}: ${zip.name} ${zip.version} for ${zip.target}, ${zip.files} files, ${zip.dependencies.length} dependencies${zip.signer_key_id ? `, signed ${zip.signer_key_id}` : ''}`,
      )
      .join('\n'),
  );
  return ExitCodes.success;
}

/** What a human must know about the lockfile the zips were made from (a new or rewritten one, or none). */
function lockfileNote(lockfile: BuiltDelivery['lockfile'] | undefined): string | undefined {
  if (lockfile === undefined) return undefined;
  if (lockfile.source === 'written')
    return `no lockfile: resolved the dependency ranges and wrote ${lockfile.path ?? 'package-lock.json'}; commit it and test with it, so the next zip delivers exactly what you tested`;
  if (lockfile.source === 'refreshed')
    return `--refresh-lock: resolved the ranges again and rewrote ${lockfile.path ?? 'the lockfile'}; test with it before delivering`;
  if (lockfile.source === 'none') return 'no lockfile npm can read: the dependency ranges were resolved for this zip only';
  return undefined;
}
