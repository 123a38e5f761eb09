import { repeatable } from '../internal/option-parsers.js';
import type { OptionSpec } from './command-spec.js';

/** The signature flags of `runner install`, `runner serve` and `validate --zip`. */
export interface SignatureFlags {
  /** `--trusted-key PEM`, repeatable: ed25519 public key files, relative to the working folder. */
  trustedKey?: string[];
  /** `--require-signature`: refuse unsigned zips (2008). */
  requireSignature?: boolean;
}

/** The `--store` option every `runner` command takes. */
export interface StoreOptions {
  store?: string;
}

/** `--trusted-key` (repeatable) and `--require-signature`; `applies` says what they check. */
export function signatureOptions(applies: string): OptionSpec[] {
  return [
    { flags: '--trusted-key <pem>', description: `ed25519 public key (PEM file) that may sign ${applies}; repeat for several`, parse: repeatable },
    { flags: '--require-signature', description: `refuse ${applies} without a signature by a trusted key (2008)` },
  ];
}

/** `--store DIR`. */
export const storeOption: OptionSpec = { flags: '--store <dir>', description: 'package store (default $PROCVISION_STORE or ./runtime_store)' };

/** `--json` and `--debug`: on the root and on every leaf command (root options stop at the command name). */
export const commonOptions: readonly OptionSpec[] = [
  { flags: '--json', description: 'print one JSON document on stdout (logs go to stderr)' },
  { flags: '--debug', description: 'print stack traces of errors' },
];

/** `--guide-image`, `--guide-info`, `--step-desc` of `run` and `runner exec` (Python v0.3 algorithms). */
export interface GuideOptions {
  guideImage?: string;
  guideInfo?: string;
  stepDesc?: string;
}

/** The guide options of a Python v0.3 step, for `run` and `runner exec`. */
export const guideOptions: readonly OptionSpec[] = [
  { flags: '--guide-image <file>', description: 'guide (reference) image of a Python v0.3 step' },
  { flags: '--guide-info <json>', description: 'guide_info of a Python v0.3 step: JSON, or @file.json' },
  { flags: '--step-desc <text>', description: 'step description of a Python v0.3 step' },
];

/** `--npm PATH` of the commands that run npm (`package`, `runner install`, `doctor`). */
export interface NpmOption {
  /** The npm command (or its npm-cli.js) to run; sets PROCVISION_NPM for this process. */
  npm?: string;
}

/** `--npm PATH`: which npm to run (default: PROCVISION_NPM, beside node, then PATH). */
export const npmOption: OptionSpec = {
  flags: '--npm <path>',
  description: 'npm to run (default $PROCVISION_NPM, then the npm beside node, then npm on PATH)',
};
