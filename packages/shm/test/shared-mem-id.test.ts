import { describe, expect, it } from 'vitest';
import { ImageLoadError, parseSharedMemId } from '../src/index.js';

describe('parseSharedMemId', () => {
  it('splits the three backends', () => {
    expect(parseSharedMemId('dev-shm:session-1')).toEqual({ backend: 'dev-shm', key: 'session-1' });
    expect(parseSharedMemId('sab:pv-12-3/1')).toEqual({ backend: 'sab', pool: 'pv-12-3', slot: 1 });
    expect(parseSharedMemId('mmap:pv-4194304-123456789')).toEqual({ backend: 'mmap', name: 'pv-4194304-123456789' });
  });

  it.each(['', 'mmap:', 'mmap:a/b', `mmap:${'x'.repeat(31)}`, 'sab:pool', 'sab:pool/x', 'dev-shm:', 'file:/tmp/x'])('refuses %j with 1002 invalid-id', (id) => {
    let caught: unknown;
    try {
      parseSharedMemId(id);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ImageLoadError);
    expect(caught).toMatchObject({ code: '1002', reason: 'invalid-id' });
  });
});
