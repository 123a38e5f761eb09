import { describe, expect, it } from 'vitest';
import { ContractError, FrameError, ProcVisionError } from '../src/index.js';

describe('isInstance: each error class answers for itself', () => {
  const base = new ProcVisionError('9999', 'plain');
  const contract = new ContractError('2001', 'bad manifest', []);
  const frame = new FrameError('frame-too-large', 'frame too large', '00');

  it('ProcVisionError.isInstance accepts every ProcVision error', () => {
    for (const error of [base, contract, frame]) expect(ProcVisionError.isInstance(error)).toBe(true);
    expect(ProcVisionError.isInstance(new Error('x'))).toBe(false);
    expect(ProcVisionError.isInstance({ code: '9999' })).toBe(false);
  });

  it('a subclass accepts only its own errors', () => {
    expect(ContractError.isInstance(contract)).toBe(true);
    expect(ContractError.isInstance(base)).toBe(false);
    expect(ContractError.isInstance(frame)).toBe(false);
    expect(FrameError.isInstance(frame)).toBe(true);
    expect(FrameError.isInstance(contract)).toBe(false);
  });

  it('recognises an error made by another copy of the package (Symbol.for brands, not instanceof)', () => {
    const foreign = Object.assign(new Error('from another copy'), {
      [Symbol.for('procvision.error')]: true,
      [Symbol.for('procvision.error.brands')]: ['ContractError', 'ProcVisionError'],
    });
    expect(foreign instanceof ContractError).toBe(false);
    expect(ContractError.isInstance(foreign)).toBe(true);
    expect(ProcVisionError.isInstance(foreign)).toBe(true);
    expect(FrameError.isInstance(foreign)).toBe(false);
  });

  it('a subclass without its own brand falls back to instanceof', () => {
    class LocalError extends ProcVisionError {}
    const local = new LocalError('9999', 'local');
    expect(LocalError.isInstance(local)).toBe(true);
    expect(LocalError.isInstance(base)).toBe(false);
    expect(ProcVisionError.isInstance(local)).toBe(true);
  });
});
