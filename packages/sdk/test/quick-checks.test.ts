import { checkExecuteResult, checkPreExecuteResult, paramSpecSchema, parseAlgorithmInfo, parseRunnerMessage } from '@procvision/manifest';
import { describe, expect, it } from 'vitest';
import { quickCallData } from '../src/internal/adapter/quick-call-check.js';
import { quickExecuteResult, quickPreExecuteResult } from '../src/internal/adapter/quick-result-check.js';
import { quickAlgorithmInfo } from '../src/internal/adapter/quick-info-check.js';
import { quickParamSpec } from '../src/internal/adapter/quick-param-check.js';

/** Step param specs, right and wrong, that the quick check and the schema must agree on. */
const paramCases: unknown[] = [
  { key: 'threshold', type: 'float', min: 0, max: 1, default: 0.5, unit: 'ratio', description: 'd', required: true },
  { key: 'threshold', type: 'float', min: 1, max: 0 },
  { key: 'threshold', type: 'float', default: 2, max: 1 },
  { key: 'threshold', type: 'float', min: Number.NaN },
  { key: 'threshold', type: 'float', min: Number.POSITIVE_INFINITY },
  { key: 'threshold', type: 'float', unit: 5 },
  { key: 'count', type: 'int', min: 1, max: 9, default: 3 },
  { key: 'count', type: 'int', default: 1.5 },
  { key: 'count', type: 'int', default: '3' },
  { key: 'count', type: 'int', extra: true },
  { key: 'flag', type: 'bool', default: false },
  { key: 'flag', type: 'bool', default: 'no' },
  { key: 'flag', type: 'bool', required: 'yes' },
  { key: 'label', type: 'string' },
  { key: 'label', type: 'string', min_length: 0, max_length: 4, default: '' },
  { key: 'label', type: 'string', min_length: 5, max_length: 4 },
  { key: 'label', type: 'string', max_length: 0 },
  { key: 'label', type: 'string', default: '' },
  { key: 'label', type: 'string', default: 'x'.repeat(1001) },
  { key: 'label', type: 'string', min_length: 1.5 },
  { key: 'label', type: 'string', min_length: -1 },
  { key: 'label', type: 'string', pattern: '^[a-z]+$', default: 'abc' },
  { key: 'label', type: 'string', pattern: '(' },
  { key: 'mode', type: 'enum', choices: ['fast', 'exact', 3], default: 'fast' },
  { key: 'mode', type: 'enum', choices: ['fast', 'fast'] },
  { key: 'mode', type: 'enum', choices: [] },
  { key: 'mode', type: 'enum', choices: ['fast'], default: 'slow' },
  { key: 'mode', type: 'enum', choices: [true] },
  { key: 'mode', type: 'enum' },
  { key: 'roi', type: 'rect', required: true },
  { key: 'roi', type: 'rect', default: { x: 0, y: 0, width: 10, height: 10 } },
  { key: 'roi', type: 'rect', default: { x: 0 } },
  { key: '', type: 'int' },
  { key: 5, type: 'int' },
  { key: 'x', type: 'color' },
  { key: 'x' },
  { key: 'x', type: 'int', description: 7 },
  [],
  null,
];

const imageMeta = { width: 1920, height: 1200, timestamp_ms: 1714032000123, camera_id: 'cam-01', color_space: 'RGB' };
const session = { id: 'sid-1', context: { product_code: 'A01' }, state: { a: 1 } };
const step = { phase: 'execute', step_index: 1, pid: 'A01', session, user_params: { t: 0.7 }, shared_mem_id: 'mmap:x', image_meta: imageMeta };
const call = (data: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type: 'call',
  request_id: 'r-1',
  timestamp_ms: 1,
  data,
  ...extra,
});

const calls: Array<Record<string, unknown>> = [
  call(step),
  call({ ...step, phase: 'pre' }),
  call({ ...step, user_params: undefined }),
  call({ ...step, extra: 1 }),
  call({ phase: 'info' }),
  call({ phase: 'info', session: 5, step_index: 2 }),
  call({ phase: 'reset', session, step_index: 3 }),
  call(step, { timestamp_ms: undefined }),
  call(step, { timestamp_ms: 'x' }),
  call(step, { request_id: '' }),
  call(step, { request_id: 7 }),
  call({ ...step, step_index: 0 }),
  call({ ...step, step_index: 1.5 }),
  call({ ...step, step_index: '1' }),
  call({ ...step, pid: '' }),
  call({ ...step, session: { id: '' } }),
  call({ ...step, session: { id: 's', context: [] } }),
  call({ ...step, session: { id: 's', extra: 1 } }),
  call({ ...step, session: { id: 's', state: null } }),
  call({ ...step, user_params: [] }),
  call({ ...step, shared_mem_id: '' }),
  call({ ...step, image_meta: { ...imageMeta, width: 0 } }),
  call({ ...step, image_meta: { ...imageMeta, height: 2.5 } }),
  call({ ...step, image_meta: { ...imageMeta, timestamp_ms: -1 } }),
  call({ ...step, image_meta: { ...imageMeta, camera_id: 3 } }),
  call({ ...step, image_meta: { ...imageMeta, color_space: 'HSV' } }),
  call({ ...step, image_meta: { ...imageMeta, color_space: undefined } }),
  call({ ...step, image_meta: { ...imageMeta, exposure: 3 } }),
  call({ ...step, phase: 'run' }),
  call([]),
  call(null),
  call({ phase: 'reset' }),
  { type: 'call', request_id: 'r-2', ...step },
];

const executeResults: unknown[] = [
  { status: 'OK', data: { result_status: 'OK' } },
  { status: 'OK', message: 'fine', data: { result_status: 'OK', extra: [1] }, debug: { ms: 2 }, other: 1 },
  { status: 'OK', data: { result_status: 'OK', ng_reason: 'x', debug: { a: 1 } } },
  { status: 'OK', data: { result_status: 'OK', debug: 3 } },
  { status: 'OK', data: { result_status: 'OK', ng_reason: 5 } },
  { status: 'OK', data: { result_status: 'OK', ng_reason: 'x'.repeat(60) } },
  { status: 'OK', message: 'm'.repeat(101), data: { result_status: 'OK' } },
  { status: 'OK', message: 3, data: { result_status: 'OK' } },
  { status: 'OK', data: { result_status: 'NG', ng_reason: 'scratch', defect_rects: [{ x: 1, y: 1, width: 2, height: 2 }] } },
  { status: 'OK', data: { result_status: 'NG' } },
  { status: 'OK', data: {} },
  { status: 'OK' },
  { status: 'NG', data: { result_status: 'OK' } },
  { status: 'ERROR', message: 'broken', error_code: '1006' },
  { status: 'ERROR' },
  { status: 'OK', error_code: '1006', data: { result_status: 'OK' } },
  { status: 'OK', data: { result_status: 'OK', defect_rects: [] } },
  { status: 'OK', data: { result_status: 'OK' }, debug: [] },
  { status: 'OK', data: [] },
  null,
  'OK',
  [],
  new Map(),
];

const preResults: unknown[] = [
  { status: 'OK' },
  { status: 'OK', message: 'ready' },
  { status: 'OK', data: { calibration_rects: [{ x: 0, y: 0, width: 1, height: 1 }] } },
  { status: 'OK', data: { result_status: 'OK' } },
  { status: 'OK', data: { note: 1 }, debug: { a: 1 } },
  { status: 'OK', data: 3 },
  { status: 'ERROR', message: 'dark' },
  { status: 'OK', message: 'm'.repeat(150) },
  { status: 'OK', debug: 'x' },
  undefined,
];

describe('quick checks agree with the zod contracts', () => {
  it('accepts only calls parseRunnerMessage accepts, with the same data the worker reads', () => {
    let quick = 0;
    for (const frame of calls) {
      const data = quickCallData(frame);
      if (data === undefined) continue;
      quick += 1;
      const parsed = parseRunnerMessage(frame);
      expect(parsed.ok, JSON.stringify(frame)).toBe(true);
      if (!parsed.ok || parsed.message.type !== 'call') continue;
      const zodData = parsed.message.data as Record<string, unknown>;
      for (const key of ['phase', 'step_index', 'pid', 'shared_mem_id', 'image_meta']) expect(data[key], key).toEqual(zodData[key]);
      const zodSession = zodData.session as Record<string, unknown> | undefined;
      const session = data.session as Record<string, unknown> | undefined;
      expect(session === undefined ? undefined : { context: {}, state: {}, ...session }).toEqual(zodSession);
      expect(data.user_params ?? {}).toEqual(zodData.user_params ?? {});
      if (data.phase !== 'pre' && data.phase !== 'execute') expect(data).toEqual(zodData);
    }
    expect(quick).toBeGreaterThanOrEqual(6);
  });

  it('passes only results the zod check passes without warnings, built the same way', () => {
    const pairs = [
      ...executeResults.map((value) => [quickExecuteResult(value), checkExecuteResult(value), value] as const),
      ...preResults.map((value) => [quickPreExecuteResult(value), checkPreExecuteResult(value), value] as const),
    ];
    let quick = 0;
    for (const [fast, slow, value] of pairs) {
      if (fast === undefined) continue;
      quick += 1;
      expect(fast, JSON.stringify(value)).toEqual(slow);
    }
    expect(quick).toBeGreaterThanOrEqual(6);
  });

  it('passes only getInfo() results the zod check passes without warnings, built the same way', () => {
    const step = { index: 1, name: 'only', params: [] };
    const base = { name: 'screw_check', version: '1.2.0', supported_pids: ['A01', 'A02'], steps: [step] };
    const infos: unknown[] = [
      base,
      { ...base, description: 'd', extra: 1 },
      { ...base, steps: [] },
      {
        ...base,
        steps: [
          { index: 1, name: 'a' },
          { index: 2, name: 'b', description: 'x' },
        ],
      },
      { ...base, version: '1.0' },
      { ...base, version: '1.2.0-rc.1+b5' },
      { ...base, version: 'v1' },
      { ...base, name: 'Screw' },
      { ...base, name: '' },
      { ...base, name: 'x'.repeat(215) },
      { ...base, description: 3 },
      { ...base, supported_pids: [] },
      { ...base, supported_pids: ['A01', 'A01'] },
      { ...base, supported_pids: [''] },
      { ...base, supported_pids: Array.from({ length: 21 }, (_, i) => `P${i}`) },
      { ...base, supported_pids: 'A01' },
      { ...base, steps: [{ ...step, index: 2 }] },
      { ...base, steps: [{ ...step, name: '' }] },
      { ...base, steps: [{ ...step, params: [{ key: 't', type: 'float' }] }] },
      ...paramCases.map((param) => ({ ...base, steps: [{ ...step, params: [param] }] })),
      {
        ...base,
        steps: [
          {
            ...step,
            params: [
              { key: 't', type: 'int' },
              { key: 't', type: 'bool' },
            ],
          },
        ],
      },
      {
        ...base,
        steps: [
          {
            ...step,
            params: [
              { key: 't', type: 'int' },
              { key: 'u', type: 'bool', required: true },
            ],
          },
        ],
      },
      { ...base, steps: [{ ...step, params: {} }] },
      { ...base, steps: [{ ...step, description: 5 }] },
      { ...base, steps: [{ ...step, index: '1' }] },
      { ...base, steps: {} },
      null,
      [],
      'info',
    ];
    let quick = 0;
    for (const value of infos) {
      const fast = quickAlgorithmInfo(value);
      if (fast === undefined) continue;
      quick += 1;
      const slow = parseAlgorithmInfo(value);
      expect(slow.warnings, JSON.stringify(value)).toEqual([]);
      expect(fast, JSON.stringify(value)).toEqual(slow.info);
    }
    expect(quick).toBeGreaterThanOrEqual(15);
  });

  it('refuses every param spec the schema refuses (a sample of wrong ones)', () => {
    for (const param of paramCases) {
      if (quickParamSpec(param) === undefined) continue;
      expect(paramSpecSchema.safeParse(param).success, JSON.stringify(param)).toBe(true);
    }
  });
});
