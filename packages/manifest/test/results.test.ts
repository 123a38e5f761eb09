import { describe, expect, it } from 'vitest';
import { checkExecuteResult, checkPreExecuteResult, type ResultCheck } from '../src/index.js';
import { expectIssue } from './fixtures.js';

const rect = { x: 1, y: 2, width: 3, height: 4 };
const ng = (data: Record<string, unknown>) => ({ status: 'OK', data: { result_status: 'NG', ng_reason: 'screw missing', defect_rects: [rect], ...data } });

function rejected<T>(check: ResultCheck<T>) {
  if (check.ok) throw new Error('expected the result to be rejected');
  return check;
}
function accepted<T>(check: ResultCheck<T>) {
  if (!check.ok) throw new Error(check.message);
  return check;
}

describe('rects in results', () => {
  it('accept label and a score in 0..1', () => {
    const rects = [
      { ...rect, label: 'scratch', score: 0 },
      { ...rect, score: 1 },
    ];
    expect(accepted(checkExecuteResult(ng({ defect_rects: rects }))).result.data?.defect_rects).toEqual(rects);
  });
  it('reject a score outside 0..1, negative x/y and empty width/height', () => {
    expectIssue(
      rejected(checkExecuteResult(ng({ defect_rects: [{ ...rect, score: 1.5 }] }))).issues,
      'data.defect_rects[0].score',
      'expected a number <= 1, got 1.5',
    );
    expectIssue(rejected(checkExecuteResult(ng({ defect_rects: [{ ...rect, x: -1 }] }))).issues, 'data.defect_rects[0].x', 'expected a number >= 0, got -1');
    expectIssue(
      rejected(checkExecuteResult(ng({ position_rects: [{ ...rect, width: 0 }] }))).issues,
      'data.position_rects[0].width',
      'expected a number > 0, got 0',
    );
  });
});

describe('checkPreExecuteResult', () => {
  it('accepts OK with message, calibration rects and debug', () => {
    const check = accepted(checkPreExecuteResult({ status: 'OK', message: 'lighting ok', data: { calibration_rects: [rect] }, debug: { latency_ms: 3 } }));
    expect(check.warnings).toEqual([]);
    expect(accepted(checkPreExecuteResult({ status: 'OK' })).result).toEqual({ status: 'OK' });
  });
  it('requires a message when status is ERROR', () => {
    expect(accepted(checkPreExecuteResult({ status: 'ERROR', message: 'too dark', error_code: '1006' })).result.error_code).toBe('1006');
    expectIssue(rejected(checkPreExecuteResult({ status: 'ERROR' })).issues, 'message', 'required when status is "ERROR"');
    expectIssue(rejected(checkPreExecuteResult({ status: 'ERROR', message: ' ' })).issues, 'message', 'required when status is "ERROR"');
  });
  it('never carries a verdict', () => {
    const check = rejected(checkPreExecuteResult({ status: 'OK', data: { result_status: 'OK' } }));
    expect(check.message).toBe('invalid pre_execute result: data.result_status: a pre_execute result carries no verdict; return result_status from execute');
  });
  it('status is never NG', () => {
    expectIssue(rejected(checkPreExecuteResult({ status: 'NG', message: 'x' })).issues, 'status', 'expected "OK" or "ERROR", got "NG"');
  });
  it('rejects an error_code outside the table', () => {
    expectIssue(rejected(checkPreExecuteResult({ status: 'ERROR', message: 'x', error_code: '1234' })).issues, 'error_code', 'got "1234"');
  });
  it('warns about a message over 100 characters', () => {
    expect(accepted(checkPreExecuteResult({ status: 'OK', message: 'x'.repeat(101) })).warnings).toEqual(['message: 101 characters; keep it under 100']);
  });
  it("does not warn about the length of the SDK's own report of an invalid result (the author returned status NG)", () => {
    const message = `execute() returned an invalid result: status: expected "OK" or "ERROR", got "NG" ${'x'.repeat(100)}`;
    expect(accepted(checkExecuteResult({ status: 'ERROR', error_code: '9999', message })).warnings).toEqual([]);
    expect(accepted(checkPreExecuteResult({ status: 'ERROR', error_code: '9999', message: message.replace('execute', 'preExecute') })).warnings).toEqual([]);
  });
});

describe('checkExecuteResult', () => {
  it('accepts an OK verdict without rects', () => {
    expect(accepted(checkExecuteResult({ status: 'OK', data: { result_status: 'OK', debug: { model_version: '3' } } })).warnings).toEqual([]);
  });
  it('status is never NG', () => {
    expectIssue(rejected(checkExecuteResult({ status: 'NG' })).issues, 'status', 'a pass/fail verdict goes in data.result_status');
  });
  it('ERROR needs a message and no verdict', () => {
    expect(accepted(checkExecuteResult({ status: 'ERROR', message: 'model crashed', error_code: '9999' })).result.status).toBe('ERROR');
    expectIssue(rejected(checkExecuteResult({ status: 'ERROR' })).issues, 'message', 'required when status is "ERROR"');
  });
  it('OK needs data.result_status OK or NG', () => {
    expectIssue(rejected(checkExecuteResult({ status: 'OK' })).issues, 'data.result_status', 'required when status is "OK"');
    expectIssue(
      rejected(checkExecuteResult({ status: 'OK', data: { result_status: 'PASS' } })).issues,
      'data.result_status',
      'expected "OK" or "NG", got "PASS"',
    );
  });
  it('NG needs a non-empty ng_reason', () => {
    expect(accepted(checkExecuteResult(ng({}))).result.data?.ng_reason).toBe('screw missing');
    expectIssue(rejected(checkExecuteResult(ng({ ng_reason: undefined }))).issues, 'data.ng_reason', 'required when result_status is "NG"');
    expectIssue(rejected(checkExecuteResult(ng({ ng_reason: '' }))).issues, 'data.ng_reason', 'required when result_status is "NG"');
  });
  it('NG needs at least one defect rect', () => {
    expectIssue(rejected(checkExecuteResult(ng({ defect_rects: undefined }))).issues, 'data.defect_rects', 'required when result_status is "NG"');
    expectIssue(rejected(checkExecuteResult(ng({ defect_rects: [] }))).issues, 'data.defect_rects', 'at least one rect');
  });
  it('truncates defect_rects beyond 20 with a warning instead of rejecting', () => {
    const many = Array.from({ length: 23 }, (_, index) => ({ ...rect, x: index }));
    const check = accepted(checkExecuteResult(ng({ defect_rects: many })));
    expect(check.result.data?.defect_rects).toHaveLength(20);
    expect(check.result.data?.defect_rects?.[19]?.x).toBe(19);
    expect(check.warnings).toEqual(['data.defect_rects: 23 rects returned, kept the first 20']);
    expect(accepted(checkExecuteResult(ng({ defect_rects: many.slice(0, 20) }))).warnings).toEqual([]);
  });
  it('honours a configured maxDefects', () => {
    const check = accepted(checkExecuteResult(ng({ defect_rects: [rect, rect, rect] }), { maxDefects: 2 }));
    expect(check.result.data?.defect_rects).toHaveLength(2);
    expect(check.warnings[0]).toContain('kept the first 2');
  });
  it('warns about more than 20 position rects and a long ng_reason', () => {
    const positions = Array.from({ length: 21 }, () => rect);
    const check = accepted(checkExecuteResult(ng({ position_rects: positions, ng_reason: 'r'.repeat(51) })));
    expect(check.warnings).toEqual(['data.position_rects: 21 rects returned; up to 20 recommended', 'data.ng_reason: 51 characters; keep it under 50']);
  });
  it('keeps extra data fields the algorithm returns', () => {
    expect(accepted(checkExecuteResult({ status: 'OK', data: { result_status: 'OK', score_map: [1, 2] } })).result.data?.score_map).toEqual([1, 2]);
  });
  it('rejects a non-object', () => {
    expect(rejected(checkExecuteResult('OK')).message).toBe('invalid execute result: expected an object, got "OK"');
  });
});
