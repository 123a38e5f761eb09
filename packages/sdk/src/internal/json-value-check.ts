/**
 * Finds the first part of `value` that does not survive a JSON round trip unchanged.
 * Returns a description such as `"a function at .callback"`, or `undefined` when the value
 * is plain JSON (null, booleans, strings, finite numbers, arrays and plain objects).
 */
export function findNonJsonPart(value: unknown): string | undefined {
  return check(value, '', new Set<object>());
}

function check(value: unknown, path: string, ancestors: Set<object>): string | undefined {
  const where = path === '' ? '' : ` at ${path}`;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `the non-finite number ${String(value)}${where}`;
    case 'undefined':
      return `undefined${where}`;
    case 'bigint':
      return `a BigInt${where}`;
    case 'function':
      return `a function${where}`;
    case 'symbol':
      return `a symbol${where}`;
    default:
      break;
  }
  if (value === null) return undefined;
  const object = value as object;
  if (ancestors.has(object)) return `a circular reference${where}`;
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      for (let index = 0; index < object.length; index += 1) {
        const problem = check(object[index], `${path}[${index}]`, ancestors);
        if (problem !== undefined) return problem;
      }
      return undefined;
    }
    const prototype: unknown = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) {
      const kind = (object as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      return `a ${kind} instance${where} (only plain objects and arrays are JSON)`;
    }
    if (Object.getOwnPropertySymbols(object).length > 0) return `a symbol-keyed property${where}`;
    for (const [key, child] of Object.entries(object)) {
      const problem = check(child, `${path}.${key}`, ancestors);
      if (problem !== undefined) return problem;
    }
    return undefined;
  } finally {
    ancestors.delete(object);
  }
}
