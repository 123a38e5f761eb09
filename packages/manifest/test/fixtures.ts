import { expect } from 'vitest';
import { ContractError, type ContractIssue, type StepSpec, stepSpecSchema } from '../src/index.js';

/** A manifest that passes every rule; tests override one field at a time. */
export function validManifest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'screw_detector',
    version: '1.2.0',
    entry_point: 'dist/main.js:ScrewDetector',
    description: 'Finds missing screws',
    supported_pids: ['A01', 'A02'],
    ...overrides,
  };
}

/** A getInfo() result that passes every rule. */
export function validInfo(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'screw_detector',
    version: '1.2.0',
    supported_pids: ['A01'],
    steps: [{ index: 1, name: 'check screws', params: [{ key: 'threshold', type: 'float', min: 0.5, max: 0.9, default: 0.7 }] }],
    ...overrides,
  };
}

/** A step with one param of each type. */
export const sampleStep: StepSpec = stepSpecSchema.parse({
  index: 1,
  name: 'check screws',
  params: [
    { key: 'threshold', type: 'float', min: 0.5, max: 0.9, default: 0.7 },
    { key: 'count', type: 'int', min: 1, max: 10 },
    { key: 'strict', type: 'bool', default: false },
    { key: 'label', type: 'string', max_length: 8, pattern: '^[A-Z]+$' },
    { key: 'mode', type: 'enum', choices: ['fast', 'accurate'], required: true },
    { key: 'roi', type: 'rect', default: { x: 0, y: 0, width: 10, height: 10 } },
  ],
});

/** Runs `action`, expects a ContractError, and returns its issues. */
export function contractIssues(action: () => unknown): ContractIssue[] {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return (error as ContractError).issues;
  }
  throw new Error('expected a ContractError, nothing was thrown');
}

/** Asserts one issue sits at `path` and its message contains `fragment`. */
export function expectIssue(issues: readonly ContractIssue[], path: string, fragment: string | RegExp): void {
  const found = issues.find((issue) => issue.path === path);
  expect(found, `no issue at ${path}; got ${JSON.stringify(issues)}`).toBeDefined();
  if (typeof fragment === 'string') expect(found!.message).toContain(fragment);
  else expect(found!.message).toMatch(fragment);
}
