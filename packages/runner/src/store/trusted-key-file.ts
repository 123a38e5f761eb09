import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { StoreConfigError } from './store-config-error.js';

const expected = 'expected an ed25519 public key PEM (-----BEGIN PUBLIC KEY-----)';
const derive = 'openssl pkey -in vendor-a.key.pem -pubout -out vendor-a.pub.pem';

/**
 * Reads one trusted public key file.
 * @param origin where the path came from, for messages: a flag or `trusted_keys[0] of <config.json>`
 * @throws StoreConfigError (2008) naming the file, its origin and what was expected for a
 *   missing file, text that is not PEM, a private key or another algorithm
 */
export async function readTrustedKeyFile(path: string, origin: string): Promise<KeyObject> {
  const where = `trusted key ${path} (${origin})`;
  const fail = (what: string, cause?: unknown): never => {
    throw new StoreConfigError(`${where} ${what}`, { file: path, field: origin, cause });
  };
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (error) {
    return fail(`cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ${expected}`, error);
  }
  if (isPrivateKey(pem)) fail(`is a private key; ${expected}. Derive it with: ${derive}`);
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    return fail(`is not a public key in PEM format; ${expected}`, error);
  }
  if (key.asymmetricKeyType !== 'ed25519') fail(`is an ${key.asymmetricKeyType ?? 'unknown'} public key; ${expected}`);
  return key;
}

function isPrivateKey(pem: Buffer): boolean {
  try {
    createPrivateKey(pem);
    return true;
  } catch {
    return false;
  }
}
