import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { SignatureFile } from '@procvision/manifest';

/** An ed25519 key as a KeyObject, a PEM string or PEM bytes. */
export type KeyInput = KeyObject | string | Buffer;

/** A fresh ed25519 key pair, PEM encoded, with its key id. */
export interface SigningKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  keyId: string;
}

/** Parses PEM text or bytes; an unreadable key is a 2008 naming `what` and what was expected. */
function parseKey(key: string | Buffer, parse: (pem: string | Buffer) => KeyObject, what: string, expected: string): KeyObject {
  try {
    return parse(key);
  } catch (error) {
    throw new ProcVisionError(ErrorCodes.signatureInvalid, `${what} is not ${expected} in PEM format (${(error as Error).message})`, { cause: error });
  }
}

/**
 * The ed25519 private key of `key`; throws ProcVisionError 2008 saying what was expected when
 * it is not one (not PEM, a public key, another algorithm).
 */
export function toPrivateKey(key: KeyInput): KeyObject {
  const keyObject = typeof key === 'string' || Buffer.isBuffer(key) ? parseKey(key, createPrivateKey, 'the signing key', 'an ed25519 private key') : key;
  if (keyObject.type !== 'private' || keyObject.asymmetricKeyType !== 'ed25519') {
    throw new ProcVisionError(
      ErrorCodes.signatureInvalid,
      `signing key must be an ed25519 private key in PEM format, got a ${keyObject.asymmetricKeyType ?? 'symmetric'} ${keyObject.type} key`,
    );
  }
  return keyObject;
}

function toPublicKey(key: KeyInput, what = 'the key'): KeyObject {
  const keyObject =
    typeof key === 'string' || Buffer.isBuffer(key)
      ? parseKey(key, createPublicKey, what, 'an ed25519 public key')
      : key.type === 'private'
        ? createPublicKey(key)
        : key;
  if (keyObject.asymmetricKeyType !== 'ed25519') {
    throw new ProcVisionError(
      ErrorCodes.signatureInvalid,
      `${what} must be an ed25519 public key in PEM format, got ${keyObject.asymmetricKeyType ?? 'a symmetric key'}`,
    );
  }
  return keyObject;
}

/** The key id of a key: `SHA256:` + hex sha256 of the public key's DER (SPKI) bytes. */
export function publicKeyId(key: KeyInput): string {
  const der = toPublicKey(key).export({ type: 'spki', format: 'der' });
  return `SHA256:${createHash('sha256').update(der).digest('hex')}`;
}

/** Makes a new ed25519 key pair for signing delivery zips. */
export function generateSigningKey(): SigningKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: publicKeyId(publicKey),
  };
}

/** Signs the exact bytes of delivery.json; the result is the SIGNATURE file's content. */
export function signDelivery(deliveryBytes: Uint8Array, privateKey: KeyInput): SignatureFile {
  const key = toPrivateKey(privateKey);
  return { key_id: publicKeyId(key), alg: 'ed25519', sig: sign(null, deliveryBytes, key).toString('base64') };
}

/**
 * Checks a SIGNATURE against the bytes of delivery.json and a list of trusted public keys.
 * Returns the signer's key id; throws ProcVisionError 2008 when the key is not trusted or
 * the signature does not match.
 */
export function verifyDeliverySignature(deliveryBytes: Uint8Array, signature: SignatureFile, trustedKeys: readonly KeyInput[]): string {
  const trusted = trustedKeys.map((key, index) => toPublicKey(key, `trusted key ${index + 1}`)).find((key) => publicKeyId(key) === signature.key_id);
  if (trusted === undefined) {
    throw new ProcVisionError(
      ErrorCodes.signatureInvalid,
      `SIGNATURE: key ${signature.key_id} is not one of the ${trustedKeys.length} trusted key(s); add its public key to the trusted keys or re-sign the zip`,
      {
        details: { file: 'SIGNATURE', keyId: signature.key_id },
      },
    );
  }
  if (!verify(null, deliveryBytes, trusted, Buffer.from(signature.sig, 'base64'))) {
    throw new ProcVisionError(
      ErrorCodes.signatureInvalid,
      `SIGNATURE: the ed25519 signature by ${signature.key_id} does not match delivery.json; the zip was altered after signing`,
      {
        details: { file: 'SIGNATURE', keyId: signature.key_id },
      },
    );
  }
  return signature.key_id;
}
