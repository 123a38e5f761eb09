import { resolve } from 'node:path';
import { signDeliveryZip } from '@procvision/packager';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { readSignKey } from '../internal/read-sign-key.js';

/** Options of `procvision sign`. */
export interface SignOptions {
  key: string;
  output?: string;
}

/**
 * `procvision sign <zip> --key <pem> [-o <zip>]`: signs a delivery zip of either kind (ours:
 * SIGNATURE over delivery.json, after verifying it; a Python SDK zip: SIGNATURE over the
 * listing of its files), in place or into `-o`.
 */
export async function signCommand(zip: string, options: SignOptions, output: Output): Promise<number> {
  const key = await readSignKey(options.key, '--key', `procvision sign ${zip} --key keys/release.pem`);
  const signed = await signDeliveryZip(zip, key, options.output === undefined ? zip : resolve(options.output));
  output.result({ zip: signed.zipPath, kind: signed.kind, key_id: signed.keyId }, () =>
    [
      `signed ${signed.zipPath} (${signed.kind === 'python' ? 'Python SDK zip: SIGNATURE over its file listing' : 'SIGNATURE over delivery.json'}) with key ${signed.keyId}`,
      `next: procvision validate --zip ${signed.zipPath} --trusted-key <public key PEM>`,
    ].join('\n'),
  );
  return ExitCodes.success;
}
