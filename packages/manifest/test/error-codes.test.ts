import { describe, expect, it } from 'vitest';
import { ErrorCodes, ProcVisionError, errorCodes, isErrorCode, retryableErrorCodes } from '../src/index.js';

describe('error codes', () => {
  it('names every code of the table', () => {
    expect(errorCodes['1006'].name).toBe('invalid_params');
    expect(ErrorCodes.imageLoadFailed).toBe('1002');
    expect(retryableErrorCodes).toEqual(['1005']);
    expect(isErrorCode('2008')).toBe(true);
    expect(isErrorCode('1234')).toBe(false);
  });

  it('derives one named constant per row of the table, and nothing else', () => {
    const codes = Object.keys(errorCodes).sort();
    expect(Object.values(ErrorCodes).sort()).toEqual(codes);
    expect(ErrorCodes.notARegularFile).toBe('3004');
    expect(ErrorCodes.gpuOom).toBe('1004');
    expect(Object.isFrozen(ErrorCodes)).toBe(true);
  });

  it('recognises a ProcVisionError from another copy by its marker', () => {
    const error = new ProcVisionError('1006', 'user_params.threshold: expected a number');
    const foreign = Object.assign(Object.create(null), { [Symbol.for('procvision.error')]: true });
    expect(ProcVisionError.isInstance(error)).toBe(true);
    expect(ProcVisionError.isInstance(foreign)).toBe(true);
    expect(ProcVisionError.isInstance(new Error('x'))).toBe(false);
    expect(error.toJSON()).toEqual({ name: 'ProcVisionError', code: '1006', codeName: 'invalid_params', message: 'user_params.threshold: expected a number' });
  });
});
