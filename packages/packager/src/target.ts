import { ProcVisionError, ErrorCodes } from '@procvision/manifest/errors';

/** Operating systems a delivery zip can target. */
export type TargetOs = 'linux' | 'win32' | 'darwin';
/** CPU architectures a delivery zip can target. */
export type TargetCpu = 'x64' | 'arm64';
/** C library flavour, meaningful on linux only. */
export type TargetLibc = 'glibc' | 'musl';

/** A platform to package for: `linux-x64` (glibc), `linux-x64-musl`, `win32-x64`, `darwin-arm64` ... */
export interface PlatformTarget {
  os: TargetOs;
  cpu: TargetCpu;
  /** Set for linux targets only. */
  libc?: TargetLibc;
}

/**
 * Every target the packager delivers for and the CLI offers (`procvision package --target`),
 * in canonical short form (a linux target without libc means glibc).
 */
export const supportedTargets = ['linux-x64', 'linux-x64-musl', 'linux-arm64', 'linux-arm64-musl', 'win32-x64', 'darwin-arm64'] as const;

/** One of {@link supportedTargets}. */
export type SupportedTarget = (typeof supportedTargets)[number];

const targetPattern = /^(linux|win32|darwin)-(x64|arm64)(?:-(glibc|musl))?$/;

/**
 * Parses a target string such as `linux-x64`, `linux-arm64-musl`, `win32-x64` or `darwin-arm64`.
 * A linux target without libc means glibc. Throws ProcVisionError 2003 on anything else.
 */
export function parseTarget(text: string): PlatformTarget {
  const match = targetPattern.exec(text.trim());
  if (match === null) {
    throw new ProcVisionError(
      ErrorCodes.incompatibleRuntime,
      `unknown target "${text}": expected <os>-<cpu>[-<libc>] with os linux|win32|darwin, cpu x64|arm64, libc glibc|musl (e.g. linux-x64, win32-x64)`,
      {
        details: { target: text },
      },
    );
  }
  const os = match[1] as TargetOs;
  const cpu = match[2] as TargetCpu;
  const libc = match[3] as TargetLibc | undefined;
  if (os !== 'linux' && libc !== undefined) {
    throw new ProcVisionError(ErrorCodes.incompatibleRuntime, `target "${text}": libc only applies to linux targets`, { details: { target: text } });
  }
  return os === 'linux' ? { os, cpu, libc: libc ?? 'glibc' } : { os, cpu };
}

/** The canonical string of a target, e.g. `linux-x64-glibc` or `win32-x64`. */
export function formatTarget(target: PlatformTarget): string {
  return [target.os, target.cpu, ...(target.libc === undefined ? [] : [target.libc])].join('-');
}

/** The libc of this machine (linux only): glibc when Node reports a glibc runtime, else musl. */
function hostLibc(): TargetLibc {
  const report = process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined;
  return report?.header?.glibcVersionRuntime === undefined ? 'musl' : 'glibc';
}

/** The platform of this machine, as a packaging target. Throws 2003 on an unsupported platform. */
export function currentTarget(): PlatformTarget {
  const text = `${process.platform}-${process.arch}`;
  const target = parseTarget(text);
  return target.os === 'linux' ? { ...target, libc: hostLibc() } : target;
}

/** `<name>-v<version>-<os>-<cpu>[-<libc>]-offline.zip` (docs/spec/delivery.md). */
export function deliveryZipName(name: string, version: string, target: PlatformTarget): string {
  return `${name.replace(/^@/, '').replace(/\//g, '-')}-v${version}-${formatTarget(target)}-offline.zip`;
}
