import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { currentTarget, parseTarget, type PlatformTarget } from '../target.js';

/**
 * The target to package for: the explicit option, else `procvision.target.json` in the
 * project (`{"target": "win32-x64"}`), else this machine.
 */
export async function resolveProjectTarget(projectDir: string, explicit: string | PlatformTarget | undefined): Promise<PlatformTarget> {
  if (typeof explicit === 'string') return parseTarget(explicit);
  if (explicit !== undefined) return parseTarget([explicit.os, explicit.cpu, ...(explicit.libc === undefined ? [] : [explicit.libc])].join('-'));
  const path = join(projectDir, 'procvision.target.json');
  if (!existsSync(path)) return currentTarget();
  let content: unknown;
  try {
    content = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.incompatibleRuntime, `${path} is not valid JSON (${(error as Error).message})`, { cause: error });
  }
  const target = (content as { target?: unknown } | null)?.target;
  const nodeAbi = (content as { node_abi?: unknown } | null)?.node_abi;
  if (nodeAbi !== undefined && (typeof nodeAbi !== 'string' || !/^\d+$/.test(nodeAbi)))
    throw new ProcVisionError(
      ErrorCodes.incompatibleRuntime,
      `${path}: "node_abi" must be the Node ABI number as a string, e.g. {"target": "linux-x64", "node_abi": "127"}`,
    );
  if (typeof target !== 'string')
    throw new ProcVisionError(ErrorCodes.incompatibleRuntime, `${path}: expected {"target": "<os>-<cpu>[-<libc>]"}, e.g. {"target": "linux-x64"}`);
  return parseTarget(target);
}

/** The Node ABI `procvision.target.json` sets (`{"target": "linux-x64", "node_abi": "127"}`), or undefined. */
export async function projectNodeAbi(projectDir: string): Promise<string | undefined> {
  const path = join(projectDir, 'procvision.target.json');
  if (!existsSync(path)) return undefined;
  const nodeAbi = (JSON.parse(await readFile(path, 'utf8')) as { node_abi?: unknown } | null)?.node_abi;
  if (nodeAbi === undefined) return undefined;
  if (typeof nodeAbi !== 'string' || !/^\d+$/.test(nodeAbi))
    throw new ProcVisionError(
      ErrorCodes.incompatibleRuntime,
      `${path}: "node_abi" must be the Node ABI number as a string, e.g. {"target": "linux-x64", "node_abi": "127"}`,
    );
  return nodeAbi;
}
