import { describe, expect, it } from 'vitest';
import { Session } from '../src/session.js';

describe('Session', () => {
  it('gets, sets, deletes and checks keys, with a default for absent ones', () => {
    const session = new Session({ id: 'sid-1', state: { kept: 1 } });
    expect(session.get('kept')).toBe(1);
    expect(session.get('absent')).toBeUndefined();
    expect(session.get('absent', 7)).toBe(7);
    session.set('origin', { x: 1, y: [2, 3], label: null, ok: true });
    expect(session.exists('origin')).toBe(true);
    expect(session.toState()).toEqual({ kept: 1, origin: { x: 1, y: [2, 3], label: null, ok: true } });
    expect(session.delete('origin')).toBe(true);
    expect(session.delete('origin')).toBe(false);
    expect(session.exists('origin')).toBe(false);
    expect(session.keys()).toEqual(['kept']);
  });

  it('stores a copy: mutating the value afterwards changes nothing', () => {
    const session = new Session({ id: 'sid-1' });
    const value = { count: 1 };
    session.set('value', value);
    value.count = 2;
    expect(session.get('value')).toEqual({ count: 1 });
  });

  const circular: Record<string, unknown> = {};
  circular.self = circular;
  it.each([
    ['a function', () => 1, 'a function'],
    ['a BigInt', 10n, 'a BigInt'],
    ['undefined', undefined, 'undefined'],
    ['a nested undefined', { a: [1, undefined] }, 'undefined at .a[1]'],
    ['a cycle', circular, 'a circular reference at .self'],
    ['a Map', new Map(), 'a Map instance'],
    ['a Set', new Set([1]), 'a Set instance'],
    ['NaN', Number.NaN, 'the non-finite number NaN'],
    ['Infinity', { speed: Number.POSITIVE_INFINITY }, 'the non-finite number Infinity at .speed'],
    ['a Date', new Date(0), 'a Date instance'],
  ])('rejects %s with a TypeError naming the key', (_name, value, found) => {
    const session = new Session({ id: 'sid-1' });
    expect(() => session.set('bad_key', value)).toThrow(TypeError);
    expect(() => session.set('bad_key', value)).toThrow(`session value for key "bad_key" is not JSON-serialisable: found ${found}`);
    expect(session.exists('bad_key')).toBe(false);
  });

  it('gives a frozen copy of the context', () => {
    const context = { product_code: 'A01', nested: { operator: 'kim' } };
    const session = new Session({ id: 'sid-1', context });
    context.product_code = 'changed';
    expect(session.context.product_code).toBe('A01');
    expect(Object.isFrozen(session.context)).toBe(true);
    expect(() => {
      (session.context.nested as Record<string, unknown>).operator = 'x';
    }).toThrow(TypeError);
  });
});
