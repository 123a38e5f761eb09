import { describe, expect, it } from 'vitest';
import { type UserParamsValidation, validateUserParams } from '../src/index.js';
import { sampleStep } from './fixtures.js';

const valid = { mode: 'fast', count: 3 };
const image = { width: 100, height: 50 };

function failure(result: UserParamsValidation) {
  if (result.ok) throw new Error('expected the params to be rejected');
  return result;
}
function expectRejected(params: Record<string, unknown>, message: string, code = '1006') {
  const result = failure(validateUserParams(sampleStep, { ...valid, ...params }, image));
  expect(result.code).toBe(code);
  expect(result.message).toContain(message);
}

describe('validateUserParams', () => {
  it('accepts valid params and fills defaults for absent keys', () => {
    const result = validateUserParams(sampleStep, valid, image);
    expect(result).toEqual({ ok: true, params: { threshold: 0.7, count: 3, strict: false, mode: 'fast', roi: { x: 0, y: 0, width: 10, height: 10 } } });
  });

  it('hands out a copy of a default, never the spec itself', () => {
    const result = validateUserParams(sampleStep, valid);
    if (!result.ok) throw new Error(result.message);
    (result.params.roi as { x: number }).x = 99;
    const again = validateUserParams(sampleStep, valid);
    expect(again.ok && (again.params.roi as { x: number }).x).toBe(0);
  });

  it('leaves an optional key without default absent', () => {
    const result = validateUserParams(sampleStep, valid);
    expect(result.ok && 'label' in result.params).toBe(false);
  });

  it('treats missing user_params as {} and rejects non-objects', () => {
    expect(failure(validateUserParams(sampleStep, undefined)).message).toBe('user_params.mode: required enum param is missing');
    expect(failure(validateUserParams(sampleStep, [1])).message).toBe('user_params: expected an object, got an array of 1');
  });

  it('reports a missing required key', () => {
    const result = failure(validateUserParams(sampleStep, { count: 3 }));
    expect(result).toMatchObject({ code: '1006', issues: [{ path: 'user_params.mode', message: 'required enum param is missing' }] });
  });

  it('reports an unknown key, listing the known ones', () => {
    expectRejected({ treshold: 0.6 }, 'user_params.treshold: unknown key for step 1 "check screws"; expected one of threshold, count');
  });

  it('float: a finite number within min..max', () => {
    expect(validateUserParams(sampleStep, { ...valid, threshold: 0.5 }).ok).toBe(true);
    expectRejected({ threshold: 1.2 }, 'user_params.threshold: expected a number between 0.5 and 0.9, got 1.2');
    expectRejected({ threshold: '0.7' }, 'user_params.threshold: expected a number between 0.5 and 0.9, got "0.7"');
    expectRejected({ threshold: Number.NaN }, 'user_params.threshold: expected a number between 0.5 and 0.9, got NaN');
  });

  it('int: an integer within min..max', () => {
    expect(validateUserParams(sampleStep, { ...valid, count: 10 }).ok).toBe(true);
    expectRejected({ count: 2.5 }, 'user_params.count: expected an integer between 1 and 10, got 2.5');
    expectRejected({ count: 0 }, 'user_params.count: expected an integer between 1 and 10, got 0');
  });

  it('bool: true or false', () => {
    expect(validateUserParams(sampleStep, { ...valid, strict: true }).ok).toBe(true);
    expectRejected({ strict: 1 }, 'user_params.strict: expected true or false, got 1');
  });

  it('string: length bounds (min_length defaults to 1) and pattern', () => {
    expect(validateUserParams(sampleStep, { ...valid, label: 'ABC' }).ok).toBe(true);
    expectRejected({ label: '' }, 'user_params.label: expected a string of 1 to 8 characters, got 0 characters');
    expectRejected({ label: 'ABCDEFGHI' }, 'user_params.label: expected a string of 1 to 8 characters, got 9 characters');
    expectRejected({ label: 'abc' }, 'user_params.label: expected a string matching /^[A-Z]+$/, got "abc"');
    expectRejected({ label: 5 }, 'user_params.label: expected a string, got 5');
  });

  it('string: max_length defaults to 1000', () => {
    const step = { index: 1, name: 's', params: [{ key: 'note', type: 'string' as const }] };
    expect(validateUserParams(step, { note: 'x'.repeat(1000) }).ok).toBe(true);
    expect(failure(validateUserParams(step, { note: 'x'.repeat(1001) })).message).toContain('expected a string of 1 to 1000 characters');
  });

  it('enum: one of the choices', () => {
    expect(validateUserParams(sampleStep, { ...valid, mode: 'accurate' }).ok).toBe(true);
    expectRejected({ mode: 'slow' }, 'user_params.mode: expected one of "fast", "accurate", got "slow"');
  });

  it('rect: x,y >= 0 and width,height > 0, naming the sub-field', () => {
    expect(validateUserParams(sampleStep, { ...valid, roi: { x: 90, y: 40, width: 10, height: 10 } }, image).ok).toBe(true);
    expectRejected({ roi: { x: 0, y: -1, width: 5, height: 5 } }, 'user_params.roi.y: expected a number >= 0, got -1');
    expectRejected({ roi: { x: 0, y: 0, width: 5, height: 0 } }, 'user_params.roi.height: expected a number > 0, got 0');
    expectRejected({ roi: { x: 0, y: 0, width: 5 } }, 'user_params.roi.height: required');
    expectRejected({ roi: 'full' }, 'user_params.roi: expected a rect {x, y, width, height}, got "full"');
  });

  it('rect outside the image is 1007 when the image size is known', () => {
    expectRejected(
      { roi: { x: 95, y: 0, width: 10, height: 10 } },
      'user_params.roi: expected a rect inside the 100x50 image, got x=95 y=0 width=10 height=10',
      '1007',
    );
    expect(validateUserParams(sampleStep, { ...valid, roi: { x: 95, y: 0, width: 10, height: 10 } }).ok).toBe(true);
  });

  it('reports every issue, with 1006 winning over 1007', () => {
    const result = failure(validateUserParams(sampleStep, { mode: 'slow', count: 99, roi: { x: 95, y: 0, width: 10, height: 10 } }, image));
    expect(result.code).toBe('1006');
    expect(result.issues.map((issue) => issue.path)).toEqual(['user_params.count', 'user_params.mode', 'user_params.roi']);
  });
});
