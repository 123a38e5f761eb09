import { ProcVisionError } from '@procvision/manifest';
import { describe, expect, it } from 'vitest';
import { createLogger, Diagnostics, FatalError, GPUOutOfMemoryError, ProgramError, RecoverableError } from '../src/index.js';

describe('typed errors', () => {
  it('extend ProcVisionError with their codes', () => {
    const gpu = new GPUOutOfMemoryError();
    expect(gpu).toBeInstanceOf(ProcVisionError);
    expect(ProcVisionError.isInstance(gpu)).toBe(true);
    expect(gpu.code).toBe('1004');
    expect(new RecoverableError('retry me').code).toBe('9999');
    expect(new RecoverableError('retry me').recoverable).toBe(true);
    expect(new FatalError('dead').fatal).toBe(true);
    expect(new ProgramError('asset missing', { code: '1003' }).toJSON()).toMatchObject({ name: 'ProgramError', code: '1003', message: 'asset missing' });
  });
});

describe('createLogger', () => {
  it('writes JSON lines with level, timestamp_ms, message and fields, honouring the level', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', fields: { algorithm: 'demo' }, write: (line) => lines.push(line) });
    logger.debug('hidden');
    logger.info('frame read', { width: 4 });
    logger.child({ step: 2 }).error('failed', { big: 1n });
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]!);
    expect(first).toMatchObject({ level: 'info', message: 'frame read', algorithm: 'demo', width: 4 });
    expect(typeof first.timestamp_ms).toBe('number');
    expect(lines[0]!.endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'error', step: 2, big: '1', algorithm: 'demo' });
  });

  it('does not throw on circular fields', () => {
    const lines: string[] = [];
    const logger = createLogger({ write: (line) => lines.push(line) });
    const loop: Record<string, unknown> = {};
    loop.loop = loop;
    logger.warn('cycle', { loop });
    expect(JSON.parse(lines[0]!).loop).toEqual({ loop: '[circular]' });
  });
});

describe('Diagnostics', () => {
  it('publishes values and returns a snapshot', () => {
    const diagnostics = new Diagnostics();
    diagnostics.publish('model_version', '2.1.0');
    diagnostics.publish('model_version', '2.2.0');
    const snapshot = diagnostics.get();
    snapshot.extra = 1;
    expect(diagnostics.get()).toEqual({ model_version: '2.2.0' });
  });
});
