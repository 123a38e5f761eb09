import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { UsageError } from '../../usage-error.js';

const expected = 'expected an ed25519 public key PEM (-----BEGIN PUBLIC KEY-----)';
const derive = 'openssl pkey -in vendor-a.key.pem -pubout -out vendor-a.pub.pem';

/**
 * Reads one trusted public key file. Anything else (a missing file, text that is not PEM, a
 * private key, another algorithm) is a UsageError (exit 2) naming the file, where it came from
 * (`origin`: the flag or config.json) and what was expected.
 */
export async function readTrustedKeyFile(path: string, origin: string, example: string): Promise<KeyObject> {
  const where = `trusted key ${path} (${origin})`;
  let pem: Buffer;
  try {
    pem = await readFile(path);
  } catch (error) {
    throw new UsageError(`${where} cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); ${expected}`, { example, cause: error });
  }
  if (isPrivateKey(pem)) throw new UsageError(`${where} is a private key; ${expected}. Derive it with: ${derive}`, { example });
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw new UsageError(`${where} is not a public key in PEM format; ${expected}`, { example, cause: error });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new UsageError(`${where} is an ${key.asymmetricKeyType ?? 'unknown'} public key; ${expected}`, { example });
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
