import { ProcVisionError, ErrorCodes } from '@procvision/manifest';

/** Where a {@link StoreConfigError} comes from. */
export interface StoreConfigErrorOptions {
  /** The file at fault: `<store>/config.json` or a trusted key file. */
  file: string;
  /** The field of config.json at fault (`trusted_keys[0]`), or the origin of a key (`--trusted-key`). */
  field?: string;
  cause?: unknown;
}

/**
 * A store's signature policy is misconfigured: an invalid `<store>/config.json` or a trusted
 * key file that is not an ed25519 public key PEM. Code 2008 (signature_invalid): signatures
 * cannot be checked as configured. It is a configuration error, not a verdict on a zip; a
 * command line maps it to a usage error (the CLI exits 2).
 */
export class StoreConfigError extends ProcVisionError {
  /** Cross-copy brand: `StoreConfigError.isInstance` accepts only StoreConfigErrors (see `ProcVisionError.isInstance`). */
  static override readonly brand = 'StoreConfigError';
  /** The file at fault. */
  readonly file: string;
  /** The field or origin at fault, when one is known. */
  readonly field: string | undefined;

  constructor(message: string, options: StoreConfigErrorOptions) {
    super(ErrorCodes.signatureInvalid, message, {
      details: { file: options.file, ...(options.field === undefined ? {} : { field: options.field }) },
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    });
    this.name = 'StoreConfigError';
    this.file = options.file;
    this.field = options.field;
  }
}
