/**
 * Why `path` is not a safe package-relative path (`dist/main.js`), or `null` when it is:
 * no absolute paths, drive letters, backslashes, `..` or empty segments.
 */
export function relativePathProblem(path: string): string | null {
  if (path === '') return 'expected a relative path, got an empty string';
  if (path.includes('\\')) return `expected forward slashes, got ${JSON.stringify(path)}`;
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return `expected a path relative to the package root, got absolute path ${JSON.stringify(path)}`;
  if ([...path].some((character) => character.charCodeAt(0) < 0x20)) return 'expected a path without control characters';
  const segments = path.split('/');
  if (segments.includes('..')) return `expected a path inside the package, got ${JSON.stringify(path)} (contains "..")`;
  if (segments.some((segment) => segment === '')) return `expected a path without empty segments, got ${JSON.stringify(path)}`;
  return null;
}
