import { describe, expect, it } from 'vitest';
import { type MessageParse, PROTOCOL_VERSION, parseAdapterMessage, parseRunnerMessage } from '../src/index.js';

const t = { timestamp_ms: 1714032000123 };
const session = { id: 'sid-123', context: { product_code: 'A01', trace_id: 't-1' }, state: { count: 1 } };
const imageMeta = { width: 1920, height: 1200, timestamp_ms: 1714032000123, camera_id: 'cam-01', color_space: 'RGB' };
const stepData = { phase: 'pre', step_index: 1, pid: 'A01', session, user_params: { threshold: 0.7 }, shared_mem_id: 'dev-shm:pv-1', image_meta: imageMeta };

function ok<T>(parsed: MessageParse<T>): T {
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.message;
}
function failed<T>(parsed: MessageParse<T>) {
  if (parsed.ok) throw new Error('expected the frame to be rejected');
  return parsed;
}

describe('runner -> adapter messages', () => {
  it('hello carries the protocol version and heartbeat settings', () => {
    const hello = { type: 'hello', ...t, protocol: PROTOCOL_VERSION, runner_version: '0.1.0', heartbeat_interval_ms: 5000, heartbeat_grace_ms: 2000 };
    expect(ok(parseRunnerMessage(hello))).toEqual(hello);
    expect(failed(parseRunnerMessage({ ...hello, heartbeat_grace_ms: 0 })).reason).toContain('heartbeat_grace_ms: expected a number > 0, got 0');
  });

  it('ping needs a request_id', () => {
    expect(ok(parseRunnerMessage({ type: 'ping', ...t, request_id: 'p1' })).type).toBe('ping');
    expect(failed(parseRunnerMessage({ type: 'ping', ...t })).reason).toBe('invalid ping message: request_id: required, expected a string');
  });

  it('call carries phase, step, pid, session, params, frame id and meta under data', () => {
    const call = ok(parseRunnerMessage({ type: 'call', ...t, request_id: 'r1', data: stepData }));
    expect(call).toEqual({ type: 'call', ...t, request_id: 'r1', data: stepData });
  });

  it('accepts the older flat call form and normalises it under data', () => {
    const call = ok(parseRunnerMessage({ type: 'call', ...t, request_id: 'r1', ...stepData }));
    expect(call).toEqual({ type: 'call', ...t, request_id: 'r1', data: stepData });
  });

  it('fills user_params and session context/state when absent', () => {
    const { user_params: _ignored, ...withoutParams } = stepData;
    const call = ok(parseRunnerMessage({ type: 'call', ...t, request_id: 'r1', data: { ...withoutParams, session: { id: 's' } } }));
    expect(call.type === 'call' && call.data).toMatchObject({ user_params: {}, session: { id: 's', context: {}, state: {} } });
  });

  it('info needs only the phase; reset needs the session', () => {
    expect(ok(parseRunnerMessage({ type: 'call', ...t, request_id: 'r2', data: { phase: 'info' } }))).toMatchObject({ data: { phase: 'info' } });
    expect(ok(parseRunnerMessage({ type: 'call', ...t, request_id: 'r3', phase: 'reset', session }))).toMatchObject({ data: { phase: 'reset', session } });
    expect(failed(parseRunnerMessage({ type: 'call', ...t, request_id: 'r3', data: { phase: 'reset' } })).reason).toContain('data.session: required');
  });

  it('rejects a step call without a frame, naming the field and keeping the request id', () => {
    const { image_meta: _ignored, ...withoutMeta } = stepData;
    const parsed = failed(parseRunnerMessage({ type: 'call', ...t, request_id: 'r4', data: withoutMeta }));
    expect(parsed).toEqual({
      ok: false,
      failure: 'invalid-fields',
      reason: 'invalid call message: data.image_meta: required, expected an object',
      requestId: 'r4',
    });
    expect(failed(parseRunnerMessage({ type: 'call', ...t, request_id: 'r5', data: { ...stepData, phase: 'post' } })).reason).toContain(
      'data.phase: expected "pre" or "execute" or "info" or "reset", got "post"',
    );
    expect(failed(parseRunnerMessage({ type: 'call', ...t, request_id: 'r6', data: { ...stepData, step_index: 0 } })).reason).toContain('data.step_index');
  });

  it('shutdown has no fields', () => {
    expect(ok(parseRunnerMessage({ type: 'shutdown', ...t }))).toEqual({ type: 'shutdown', ...t });
  });
});

describe('adapter -> runner messages', () => {
  it('hello carries protocol, sdk_version and capabilities', () => {
    const hello = { type: 'hello', ...t, protocol: 1, sdk_version: '0.1.0', capabilities: ['ping', 'call', 'shutdown', 'reset', 'info', 'shared_memory:v1'] };
    expect(ok(parseAdapterMessage(hello))).toEqual(hello);
    expect(failed(parseAdapterMessage({ ...hello, capabilities: 'all' })).reason).toContain('capabilities: expected an array, got "all"');
  });

  it('pong echoes the request id with status OK', () => {
    expect(ok(parseAdapterMessage({ type: 'pong', ...t, request_id: 'p1', status: 'OK' })).type).toBe('pong');
    expect(failed(parseAdapterMessage({ type: 'pong', ...t, request_id: 'p1', status: 'ERROR' })).reason).toContain('status: expected "OK"');
  });

  it('result carries status, message, data and the optional fields', () => {
    const result = { type: 'result', ...t, request_id: 'r1', status: 'OK', message: '', data: { phase: 'execute', step_index: 1, result_status: 'OK' } };
    expect(ok(parseAdapterMessage(result))).toEqual(result);
    const full = { ...result, error_code: '1006', debug: { latency_ms: 4 }, session_state: { count: 2 }, latency_ms: 12.5 };
    expect(ok(parseAdapterMessage(full))).toEqual(full);
    expect(failed(parseAdapterMessage({ ...result, status: 'NG' })).reason).toContain('status: expected "OK" or "ERROR", got "NG"');
    expect(failed(parseAdapterMessage({ ...result, data: undefined })).reason).toContain('data: required');
  });

  it('error carries a code from the table and a request id or null', () => {
    const error = { type: 'error', ...t, request_id: null, status: 'ERROR', message: 'entry not found', error_code: '1003' };
    expect(ok(parseAdapterMessage(error))).toEqual(error);
    expect(ok(parseAdapterMessage({ ...error, request_id: 'r9', message: 'busy', error_code: '9999' })).type).toBe('error');
    expect(failed(parseAdapterMessage({ ...error, error_code: 1003 })).reason).toContain(
      'error_code: expected a code of the error table as a string such as "1006", got 1003',
    );
  });

  it('shutdown ack carries status OK', () => {
    expect(ok(parseAdapterMessage({ type: 'shutdown', ...t, status: 'OK' }))).toEqual({ type: 'shutdown', ...t, status: 'OK' });
    expect(failed(parseAdapterMessage({ type: 'shutdown', ...t })).reason).toContain('status: required');
  });

  it('stamps a message from an older peer that omits timestamp_ms on receipt', () => {
    const before = Date.now();
    const pong = ok(parseAdapterMessage({ type: 'pong', request_id: 'p1', status: 'OK' }));
    expect(pong.timestamp_ms).toBeGreaterThanOrEqual(before);
    expect(failed(parseAdapterMessage({ type: 'pong', request_id: 'p1', status: 'OK', timestamp_ms: 'now' })).reason).toBe(
      'invalid pong message: timestamp_ms: expected a number, got "now"',
    );
  });
});

describe('tolerance', () => {
  it('answers an unknown type with a reason and the request id', () => {
    expect(parseAdapterMessage({ type: 'telemetry', ...t, request_id: 'x1' })).toEqual({
      ok: false,
      failure: 'unknown-type',
      reason: 'unknown message type "telemetry"; expected one of hello, pong, result, error, shutdown',
      requestId: 'x1',
    });
    expect(failed(parseRunnerMessage({ type: 'pong', ...t, request_id: 'p1', status: 'OK' })).reason).toMatch(/^unknown message type "pong"/);
    expect(failed(parseRunnerMessage({ type: 'pong', ...t, request_id: 'p1', status: 'OK' })).failure).toBe('unknown-type');
  });

  it('rejects a missing type and a non-object frame', () => {
    expect(parseRunnerMessage({ request_id: 'x2' })).toEqual({
      ok: false,
      failure: 'no-type',
      reason: 'type: required, expected a message type string',
      requestId: 'x2',
    });
    expect(parseRunnerMessage([1, 2])).toEqual({ ok: false, failure: 'not-an-object', reason: 'expected a JSON object frame', requestId: null });
  });

  it('ignores unknown fields', () => {
    expect(ok(parseRunnerMessage({ type: 'ping', ...t, request_id: 'p1', trace: 'abc' }))).toEqual({ type: 'ping', ...t, request_id: 'p1' });
  });
});

describe('error_kind extension', () => {
  const base = { type: 'result', timestamp_ms: 1, request_id: 'r1', status: 'ERROR', message: 'camera busy', error_code: '9999', data: {} };

  it('keeps error_kind on a result so the runner can retry a RecoverableError', () => {
    const parsed = parseAdapterMessage({ ...base, error_kind: 'recoverable' });
    expect(parsed.ok && parsed.message.type === 'result' && parsed.message.error_kind).toBe('recoverable');
  });

  it('rejects an unknown error_kind, naming the field', () => {
    const parsed = parseAdapterMessage({ ...base, error_kind: 'sometimes' });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain('error_kind');
  });
});
