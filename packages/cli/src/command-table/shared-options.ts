import { repeatable } from '../internal/option-parsers.js';
import type { OptionSpec } from './command-spec.js';
export type { GuideOptions } from '../internal/guide-options.js';
export type { SignatureFlags } from '../internal/signature/signature-policy.js';
export type { StoreOptions } from '../internal/store-options.js';
export type { NpmOption } from '../internal/npm-option.js';

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

/** The guide options of a Python v0.3 step, for `run` and `runner exec`. */
export const guideOptions: readonly OptionSpec[] = [
  { flags: '--guide-image <file>', description: 'guide (reference) image of a Python v0.3 step' },
  { flags: '--guide-info <json>', description: 'guide_info of a Python v0.3 step: JSON, or @file.json' },
  { flags: '--step-desc <text>', description: 'step description of a Python v0.3 step' },
];

/** `--npm PATH`: which npm to run (default: PROCVISION_NPM, beside node, then PATH). */
export const npmOption: OptionSpec = {
  flags: '--npm <path>',
  description: 'npm to run (default $PROCVISION_NPM, then the npm beside node, then npm on PATH)',
};
