import { type ErrorCode, errorCodes } from './error-codes.js';

const marker = Symbol.for('procvision.error');
const brandsKey = Symbol.for('procvision.error.brands');

/** A ProcVisionError class, as {@link ProcVisionError.isInstance} sees it. */
export type ProcVisionErrorClass<T extends ProcVisionError> = (abstract new (...args: never[]) => T) & { readonly brand: string };

/** The brands of `constructor` and its ProcVision ancestors (each class that declares its own). */
function brandChain(constructor: unknown): string[] {
  const brands: string[] = [];
  for (let current = constructor; typeof current === 'function'; current = Object.getPrototypeOf(current)) {
    if (Object.hasOwn(current, 'brand')) brands.push(String((current as unknown as { brand: unknown }).brand));
    if (current === ProcVisionError) break;
  }
  return brands;
}

/** The wire form of a {@link ProcVisionError}. */
export interface ProcVisionErrorJson {
  name: string;
  code: ErrorCode;
  codeName: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Options for {@link ProcVisionError}. */
export interface ProcVisionErrorOptions {
  /** The underlying error, kept for `--debug` output and logs. */
  cause?: unknown;
  /** Machine-readable context: the field, file or key at fault, and what was expected. */
  details?: Record<string, unknown>;
}

/**
 * The base of every ProcVision error: a code from the error table, a message that says
 * what happened, where and what to do, an optional cause and details.
 *
 * Checks use {@link ProcVisionError.isInstance}, which works across two copies of this
 * package (a runner and an algorithm may load different copies); each subclass answers its
 * own (`ContractError.isInstance` is true only for a ContractError) through its `brand`.
 */
export class ProcVisionError extends Error {
  /** The cross-copy name of this class; every subclass declares its own (`static override readonly brand = 'ContractError'`). */
  static readonly brand: string = 'ProcVisionError';
  private readonly [marker] = true;
  private readonly [brandsKey]: string[];
  /** The error code, as it travels on the wire (`"1006"`). */
  readonly code: ErrorCode;
  /** Machine-readable context (field, file, expected value). */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: ProcVisionErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProcVisionError';
    this[brandsKey] = brandChain(new.target);
    this.code = code;
    this.details = options.details;
  }

  /** The symbolic name of {@link ProcVisionError.code}, e.g. `"invalid_params"`. */
  get codeName(): string {
    return errorCodes[this.code].name;
  }

  /**
   * True for an error of this class (or a subclass of it), from this copy of the package or
   * another: `ProcVisionError.isInstance` accepts any ProcVision error, `ContractError.isInstance`
   * only ContractErrors. A subclass without its own `brand` falls back to `instanceof`.
   */
  static isInstance<T extends ProcVisionError>(this: ProcVisionErrorClass<T>, error: unknown): error is T {
    if (typeof error !== 'object' || error === null || !(marker in error) || (error as Record<symbol, unknown>)[marker] !== true) return false;
    if (!Object.hasOwn(this, 'brand')) return error instanceof this;
    // The base accepts the marker alone (older copies set no brands).
    if (this.brand === ProcVisionError.brand) return true;
    const brands = (error as Record<symbol, unknown>)[brandsKey];
    return Array.isArray(brands) && brands.includes(this.brand);
  }

  /** The JSON form sent on the wire and printed by `--json`. */
  toJSON(): ProcVisionErrorJson {
    return {
      name: this.name,
      code: this.code,
      codeName: this.codeName,
      message: this.message,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }
}
