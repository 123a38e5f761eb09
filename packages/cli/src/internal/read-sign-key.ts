import { type KeyObject, createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { UsageError } from '../usage-error.js';
import { readCallerPath } from './read-caller-path.js';

/** Reads and checks a signing key flag (`--sign-key`, `--key`) before any work: a file holding an ed25519 private key in PEM. */
export async function readSignKey(path: string, field: string, example: string): Promise<KeyObject> {
  const file = resolve(path);
  if (!existsSync(file)) {
    throw new UsageError(`${field} ${file} does not exist; pass an ed25519 private key in PEM format.`, { example });
  }
  const pem = await readCallerPath(file, { field, maxBytes: 64 * 1024, hint: 'pass an ed25519 private key file in PEM format', example });
  let key: KeyObject;
  try {
    key = createPrivateKey(pem.toString('utf8'));
  } catch {
    throw new UsageError(`${field} ${file} is not a PEM private key; pass an ed25519 private key (openssl genpkey -algorithm ed25519 -out key.pem).`, {
      example,
    });
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new UsageError(
      `${field} ${file} is a ${key.asymmetricKeyType ?? 'symmetric'} key; pass an ed25519 private key (openssl genpkey -algorithm ed25519 -out key.pem).`,
      { example },
    );
  }
  return key;
}
