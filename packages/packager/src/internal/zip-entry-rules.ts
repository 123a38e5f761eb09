/** The reason a zip entry name is unsafe, or null when it is acceptable. */
export function unsafeNameReason(name: string, rawName: Buffer): string | null {
  if (name.length === 0) return 'has an empty name';
  if (!Buffer.from(name, 'utf8').equals(rawName)) return 'has a name that is not valid UTF-8';
  if (name.length > 1024) return 'has a name longer than 1024 characters';
  for (const character of name) {
    const codePoint = character.codePointAt(0) ?? 0;
    if (codePoint < 0x20 || codePoint === 0x7f)
      return `contains the control character U+${codePoint.toString(16).padStart(4, '0')} (NUL or control characters are not allowed)`;
  }
  if (name.includes('\\')) return 'contains a backslash (zip paths use "/")';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.includes(':')) return 'contains ":" (drive letters and alternate data streams are not allowed)';
  const segments = (name.endsWith('/') ? name.slice(0, -1) : name).split('/');
  for (const segment of segments) {
    if (segment === '..') return 'contains a ".." segment (path traversal)';
    if (segment === '.' || segment === '') return 'contains an empty or "." segment';
    if (/[. ]$/.test(segment)) return 'has a segment ending in "." or space (ambiguous on Windows)';
  }
  return null;
}

const unixHost = 3;
const typeMask = 0o170000;
const regularFile = 0o100000;
const directory = 0o040000;
const symlink = 0o120000;

/** The reason an entry's file type is unsafe (symlinks, devices, fifos), or null. */
export function unsafeTypeReason(versionMadeBy: number, externalAttributes: number, isDirectory: boolean): string | null {
  if (versionMadeBy >>> 8 !== unixHost) return null;
  const type = (externalAttributes >>> 16) & typeMask;
  if (type === 0) return null;
  if (type === symlink) return 'is a symbolic link (symlinks are refused)';
  if (type === regularFile && !isDirectory) return null;
  if (type === directory && isDirectory) return null;
  return `has the unsupported file type 0o${type.toString(8)} (only regular files and directories are allowed)`;
}

/** The key two names collide under on a case-insensitive, normalising file system. */
export function collisionKey(name: string): string {
  return name.normalize('NFC').toLowerCase().replace(/\/$/, '');
}
