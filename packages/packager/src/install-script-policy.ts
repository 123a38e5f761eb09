import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { PlatformTarget } from './target.js';

/** A dependency whose install script is allowed, and why. */
export interface AllowedInstallScript {
  name: string;
  version: string;
  reason: string;
}

/** A package of the install set, as far as the script policy cares. */
export interface ScriptCandidate {
  name: string;
  version: string;
  hasInstallScript: boolean;
}

/** The name of sharp's prebuilt binary package for a target (`@img/sharp-linuxmusl-x64` ...). */
export function sharpBinaryPackage(target: PlatformTarget): string {
  const os = target.os === 'linux' && target.libc === 'musl' ? 'linuxmusl' : target.os;
  return `@img/sharp-${os}-${target.cpu}`;
}

/**
 * Applies the install-script allow-list. Install scripts never run (installs use
 * `--ignore-scripts`), so a script is only acceptable when the package works without it:
 * sharp's `install` script only checks for (or builds) its binary, which is harmless when the
 * prebuilt `@img/sharp-<os>-<cpu>` package is in the install set. `extraAllowed` names
 * packages the caller vouches for. Anything else is refused with 2004 naming the package.
 */
export function checkInstallScripts(
  installSet: readonly ScriptCandidate[],
  target: PlatformTarget,
  extraAllowed: readonly string[] = [],
): AllowedInstallScript[] {
  const names = new Set(installSet.map((entry) => entry.name));
  const allowed: AllowedInstallScript[] = [];
  for (const entry of installSet.filter((candidate) => candidate.hasInstallScript)) {
    if (extraAllowed.includes(entry.name)) {
      allowed.push({ name: entry.name, version: entry.version, reason: 'allowed by the caller (allowInstallScripts)' });
      continue;
    }
    if (entry.name === 'sharp') {
      const binary = sharpBinaryPackage(target);
      if (!names.has(binary)) {
        throw new ProcVisionError(
          ErrorCodes.dependenciesMissing,
          `sharp@${entry.version} has an install script and its prebuilt binary ${binary} is not in the install set for ${target.os}-${target.cpu}; sharp would try to build from source on the offline target`,
          { details: { package: entry.name, missing: binary } },
        );
      }
      allowed.push({ name: entry.name, version: entry.version, reason: `install script skipped: the prebuilt ${binary} is in the install set` });
      continue;
    }
    throw new ProcVisionError(
      ErrorCodes.dependenciesMissing,
      `${entry.name}@${entry.version} has an install script (preinstall/install/postinstall or a binding.gyp) that is not on the allow-list; it would not run on the offline target (installs use --ignore-scripts). Remove the dependency, or pass allowInstallScripts: ["${entry.name}"] if it works without the script`,
      { details: { package: entry.name, version: entry.version } },
    );
  }
  return allowed;
}
