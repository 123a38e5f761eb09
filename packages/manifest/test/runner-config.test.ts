import { describe, expect, it } from 'vitest';
import { ContractError, defaultRunnerConfig, parseRunnerConfig } from '../src/index.js';
import { contractIssues, expectIssue } from './fixtures.js';

describe('runner config', () => {
  it('defaults to the values of docs/spec/protocol.md', () => {
    expect(defaultRunnerConfig).toEqual({
      pre_execute_timeout_ms: 10000,
      execute_timeout_ms: 30000,
      startup_timeout_ms: 60000,
      heartbeat_interval_ms: 5000,
      heartbeat_grace_ms: 2000,
      max_missed_heartbeats: 2,
      kill_grace_ms: 3000,
      max_retries: 2,
      max_restarts: 3,
      restart_window_ms: 60000,
      max_frame_bytes: 4194304,
      max_defects: 20,
      shared_memory_backend: 'mmap',
      log_level: 'info',
    });
    expect(Object.isFrozen(defaultRunnerConfig)).toBe(true);
    expect(parseRunnerConfig()).toEqual(defaultRunnerConfig);
  });

  it('keeps given values and fills the rest', () => {
    const config = parseRunnerConfig({ execute_timeout_ms: 500, max_retries: 0, shared_memory_backend: 'sab' });
    expect(config).toEqual({ ...defaultRunnerConfig, execute_timeout_ms: 500, max_retries: 0, shared_memory_backend: 'sab' });
  });

  it('rejects bad values and unknown keys, naming each', () => {
    const issues = contractIssues(() => parseRunnerConfig({ execute_timeout_ms: -1, shared_memory_backend: 'gif', execute_timeout: 5 }));
    expectIssue(issues, 'execute_timeout_ms', 'expected a number > 0, got -1');
    expectIssue(issues, 'shared_memory_backend', 'expected "mmap" or "sab" or "dev-shm", got "gif"');
    expectIssue(issues, '', 'unknown key "execute_timeout"');
    expect(() => parseRunnerConfig({ max_missed_heartbeats: 0 })).toThrow(ContractError);
    expect(() => parseRunnerConfig({ log_level: 'trace' })).toThrow(/^invalid runner config: log_level: expected "debug" or "info"/);
  });
});
