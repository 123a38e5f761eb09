import { ErrorCodes, ProcVisionError } from '@procvision/manifest';
import semver from 'semver';
import type { DeliveryTarget } from '@procvision/manifest';
import { currentTarget, formatTarget } from './target.js';

/** One way a delivery target differs from the machine. */
export interface TargetMismatch {
  field: 'os' | 'cpu' | 'libc' | 'node_abi' | 'node_version';
  expected: string;
  actual: string;
}

/** The outcome of {@link checkTargetCompatibility}. */
export interface TargetCompatibility {
  compatible: boolean;
  mismatches: TargetMismatch[];
}

/** The machine to compare against; defaults to this process's platform and Node ABI. */
export interface HostPlatform {
  os: string;
  cpu: string;
  libc?: string;
  nodeAbi: string;
  /** The Node version (`22.11.0`), checked against the zip's `node_range`; default this process's. */
  nodeVersion?: string;
}

/** This machine as a {@link HostPlatform}. */
export function currentHostPlatform(): HostPlatform {
  const target = currentTarget();
  return { os: target.os, cpu: target.cpu, libc: target.libc, nodeAbi: process.versions.modules, nodeVersion: process.versions.node };
}

/** True when the zip's Node ABI must match exactly: it holds ABI-bound native code, or it predates the record of native code. */
export function needsExactAbi(target: DeliveryTarget): boolean {
  return target.native_addons === undefined || target.native_addons.length > 0;
}

/**
 * Compares a delivery zip's target (delivery.json `target`) with a machine: os, cpu and libc
 * (linux) must match; the Node ABI must match when the zip holds ABI-bound native code
 * (`native_addons`, or a zip that predates that record), else the machine's Node version must
 * satisfy `node_range`. The store calls this after verification (docs/spec/delivery.md install step 3).
 */
export function checkTargetCompatibility(target: DeliveryTarget, host: HostPlatform = currentHostPlatform()): TargetCompatibility {
  const mismatches: TargetMismatch[] = [];
  const compare = (field: TargetMismatch['field'], expected: string | undefined, actual: string | undefined): void => {
    if (expected !== undefined && expected !== actual) mismatches.push({ field, expected, actual: actual ?? 'none' });
  };
  compare('os', target.os, host.os);
  compare('cpu', target.cpu, host.cpu);
  if (target.os === 'linux') compare('libc', target.libc, host.libc);
  if (needsExactAbi(target)) compare('node_abi', target.node_abi, host.nodeAbi);
  else {
    const version = host.nodeVersion ?? process.versions.node;
    if (!semver.satisfies(version, target.node_range, { includePrerelease: true }))
      mismatches.push({ field: 'node_version', expected: target.node_range, actual: version });
  }
  return { compatible: mismatches.length === 0, mismatches };
}

/** Like {@link checkTargetCompatibility} but throws ProcVisionError 2003 naming every mismatch. */
export function assertTargetCompatible(target: DeliveryTarget, host: HostPlatform = currentHostPlatform()): void {
  const { mismatches } = checkTargetCompatibility(target, host);
  if (mismatches.length === 0) return;
  const list = mismatches.map((mismatch) => `${mismatch.field} ${mismatch.expected} (this machine: ${mismatch.actual})`).join(', ');
  const addons =
    mismatches.some((mismatch) => mismatch.field === 'node_abi') && (target.native_addons?.length ?? 0) > 0
      ? `; native addon${(target.native_addons?.length ?? 0) > 1 ? 's' : ''} ${target.native_addons?.join(', ') ?? ''} only load${(target.native_addons?.length ?? 0) > 1 ? '' : 's'} on Node ABI ${target.node_abi}`
      : '';
  throw new ProcVisionError(
    ErrorCodes.incompatibleRuntime,
    `package built for ${formatTarget(target)} with Node ABI ${target.node_abi} cannot run here: ${list}${addons}; package it again for this machine (--target, --node-abi)`,
    {
      details: { target, mismatches },
    },
  );
}
