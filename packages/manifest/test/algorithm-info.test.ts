import { describe, expect, it } from 'vitest';
import { parseAlgorithmInfo } from '../src/index.js';
import { contractIssues, expectIssue, validInfo } from './fixtures.js';

const issuesOf = (overrides: Record<string, unknown>) => contractIssues(() => parseAlgorithmInfo(validInfo(overrides)));

describe('parseAlgorithmInfo (getInfo output)', () => {
  it('accepts name, version, description, supported_pids and steps', () => {
    const { info, warnings } = parseAlgorithmInfo(validInfo({ description: 'screws' }));
    expect(info.steps[0]?.params[0]?.key).toBe('threshold');
    expect(warnings).toEqual([]);
  });

  it('applies the manifest rules to name, version and supported_pids', () => {
    expectIssue(issuesOf({ name: 'Bad Name' }), 'name', 'lowercase');
    expectIssue(issuesOf({ version: 'latest' }), 'version', 'semantic version');
    expectIssue(issuesOf({ supported_pids: ['A', 'A'] }), 'supported_pids[1]', 'duplicate pid');
    expect(parseAlgorithmInfo(validInfo({ version: '1.0' })).warnings[0]).toContain('legacy');
  });

  it('requires steps numbered 1..n in order', () => {
    expectIssue(issuesOf({ steps: undefined }), 'steps', 'required');
    const steps = [
      { index: 1, name: 'a' },
      { index: 3, name: 'b' },
    ];
    expectIssue(issuesOf({ steps }), 'steps[1].index', 'expected 2 (steps are numbered 1..n in order), got 3');
    expect(parseAlgorithmInfo(validInfo({ steps: [] })).info.steps).toEqual([]);
  });

  it('names the source in the message', () => {
    expect(() => parseAlgorithmInfo({}, { source: 'Detector.getInfo()' })).toThrow(/^Detector\.getInfo\(\): invalid algorithm info: name: required/);
  });
});
