import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { DeliveryTarget } from '@procvision/manifest';
import { currentTarget, formatTarget } from './target.js';

/** One way a delivery target differs from the machine. */
export interface TargetMismatch {
  field: 'os' | 'cpu' | 'libc' | 'node_abi';
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
}

/** This machine as a {@link HostPlatform}. */
export function currentHostPlatform(): HostPlatform {
  const target = currentTarget();
  return { os: target.os, cpu: target.cpu, libc: target.libc, nodeAbi: process.versions.modules };
}

/**
 * Compares a delivery zip's target (delivery.json `target`) with a machine: os, cpu, libc
 * (linux) and Node ABI must all match. The store calls this after verification (docs/spec/delivery.md
 * install step 3).
 */
export function checkTargetCompatibility(target: DeliveryTarget, host: HostPlatform = currentHostPlatform()): TargetCompatibility {
  const mismatches: TargetMismatch[] = [];
  const compare = (field: TargetMismatch['field'], expected: string | undefined, actual: string | undefined): void => {
    if (expected !== undefined && expected !== actual) mismatches.push({ field, expected, actual: actual ?? 'none' });
  };
  compare('os', target.os, host.os);
  compare('cpu', target.cpu, host.cpu);
  if (target.os === 'linux') compare('libc', target.libc, host.libc);
  compare('node_abi', target.node_abi, host.nodeAbi);
  return { compatible: mismatches.length === 0, mismatches };
}

/** Like {@link checkTargetCompatibility} but throws ProcVisionError 2003 naming every mismatch. */
export function assertTargetCompatible(target: DeliveryTarget, host: HostPlatform = currentHostPlatform()): void {
  const { mismatches } = checkTargetCompatibility(target, host);
  if (mismatches.length === 0) return;
  const list = mismatches.map((mismatch) => `${mismatch.field} ${mismatch.expected} (this machine: ${mismatch.actual})`).join(', ');
  throw new ProcVisionError(
    ErrorCodes.incompatibleRuntime,
    `package built for ${formatTarget(target)} with Node ABI ${target.node_abi} cannot run here: ${list}; package it again with --target for this machine`,
    {
      details: { target, mismatches },
    },
  );
}
