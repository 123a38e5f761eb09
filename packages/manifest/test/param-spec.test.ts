import { describe, expect, it } from 'vitest';
import { paramSpecSchema, stepSpecSchema } from '../src/index.js';
import { formatIssues } from '../src/internal/format-issues.js';
import { expectIssue } from './fixtures.js';

function specIssues(spec: unknown) {
  const result = paramSpecSchema.safeParse(spec, { reportInput: true });
  expect(result.success, 'expected the spec to be rejected').toBe(false);
  return formatIssues(result.error!.issues);
}
const accepts = (spec: Record<string, unknown>) => expect(paramSpecSchema.parse(spec)).toEqual(spec);

describe('param specs', () => {
  it('need a key and a known type', () => {
    expectIssue(specIssues({ type: 'int' }), 'key', 'required');
    expectIssue(specIssues({ key: 'k', type: 'color' }), 'type', 'expected "int" or "float" or "bool" or "string" or "enum" or "rect", got "color"');
    expectIssue(specIssues({ key: 'k' }), 'type', 'required');
    expectIssue(specIssues({ key: 'k', type: 'bool', required: 'yes' }), 'required', 'expected true or false');
  });

  it('int: min, max, unit; the default must be an integer in range', () => {
    accepts({ key: 'count', type: 'int', min: 1, max: 10, unit: 'pcs', default: 3, description: 'how many', required: false });
    expectIssue(specIssues({ key: 'count', type: 'int', min: 5, max: 1 }), 'max', 'expected max >= min (5), got 1');
    expectIssue(specIssues({ key: 'count', type: 'int', min: 1, max: 10, default: 11 }), 'default', 'expected an integer between 1 and 10, got 11');
    expectIssue(specIssues({ key: 'count', type: 'int', default: 1.5 }), 'default', 'expected an integer, got 1.5');
    expectIssue(specIssues({ key: 'count', type: 'int', unit: 3 }), 'unit', 'expected a string');
  });

  it('float: min, max, unit; the default must be a finite number in range', () => {
    accepts({ key: 'threshold', type: 'float', min: 0.5, max: 0.9, unit: 'ratio', default: 0.7 });
    expectIssue(specIssues({ key: 'threshold', type: 'float', min: 0.5, default: 0.1 }), 'default', 'expected a number >= 0.5, got 0.1');
    expectIssue(specIssues({ key: 'threshold', type: 'float', max: 2, min: 3 }), 'max', 'expected max >= min');
    expectIssue(specIssues({ key: 'threshold', type: 'float', default: '0.7' }), 'default', 'expected a number, got "0.7"');
  });

  it('bool: the default must be a boolean', () => {
    accepts({ key: 'strict', type: 'bool', default: true });
    expectIssue(specIssues({ key: 'strict', type: 'bool', default: 'true' }), 'default', 'expected true or false, got "true"');
  });

  it('string: min_length, max_length, pattern; the default must fit them', () => {
    accepts({ key: 'label', type: 'string', min_length: 2, max_length: 8, pattern: '^[A-Z]+$', default: 'OK' });
    expectIssue(specIssues({ key: 'label', type: 'string', min_length: 5, max_length: 2 }), 'max_length', 'expected max_length >= min_length (5), got 2');
    expectIssue(specIssues({ key: 'label', type: 'string', pattern: '([a-z' }), 'pattern', 'expected a valid regular expression');
    expectIssue(specIssues({ key: 'label', type: 'string', default: '' }), 'default', 'expected a string of 1 to 1000 characters, got 0 characters');
    expectIssue(
      specIssues({ key: 'label', type: 'string', pattern: '^[A-Z]+$', default: 'abc' }),
      'default',
      'expected a string matching /^[A-Z]+$/, got "abc"',
    );
    expectIssue(specIssues({ key: 'label', type: 'string', min_length: -1 }), 'min_length', 'expected a number >= 0, got -1');
  });

  it('enum: a non-empty list of unique choices; the default is one of them', () => {
    accepts({ key: 'mode', type: 'enum', choices: ['fast', 'accurate', 3], default: 'fast' });
    expectIssue(specIssues({ key: 'mode', type: 'enum', choices: [] }), 'choices', 'expected at least 1 entries');
    expectIssue(specIssues({ key: 'mode', type: 'enum' }), 'choices', 'required');
    expectIssue(specIssues({ key: 'mode', type: 'enum', choices: ['a', 'a'] }), 'choices', 'expected unique choices');
    expectIssue(specIssues({ key: 'mode', type: 'enum', choices: ['a', 'b'], default: 'c' }), 'default', 'expected one of "a", "b", got "c"');
  });

  it('rect: the default is a rect with x,y >= 0 and width,height > 0', () => {
    accepts({ key: 'roi', type: 'rect', default: { x: 0, y: 0, width: 1, height: 1 } });
    expectIssue(specIssues({ key: 'roi', type: 'rect', default: { x: 0, y: 0, width: 0, height: 1 } }), 'default.width', 'expected a number > 0, got 0');
    expectIssue(specIssues({ key: 'roi', type: 'rect', default: { x: -1, y: 0, width: 1, height: 1 } }), 'default.x', 'expected a number >= 0, got -1');
  });
});

describe('step specs', () => {
  it('take index >= 1, a name, optional description and params (default [])', () => {
    expect(stepSpecSchema.parse({ index: 1, name: 'one' })).toEqual({ index: 1, name: 'one', params: [] });
    const result = stepSpecSchema.safeParse({ index: 0, name: '' }, { reportInput: true });
    const issues = formatIssues(result.error!.issues);
    expectIssue(issues, 'index', 'expected a number >= 1, got 0');
    expectIssue(issues, 'name', 'expected at least 1 characters');
  });

  it('reject duplicate param keys', () => {
    const result = stepSpecSchema.safeParse({
      index: 1,
      name: 'one',
      params: [
        { key: 'a', type: 'bool' },
        { key: 'a', type: 'int' },
      ],
    });
    expectIssue(formatIssues(result.error!.issues), 'params[1].key', 'duplicate param key "a"');
  });
});
