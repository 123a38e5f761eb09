import type { Stats } from 'node:fs';

/** What a path names, in words an operator reads in an error. */
export type FileKind = 'regular file' | 'folder' | 'FIFO' | 'character device' | 'block device' | 'socket' | 'symbolic link' | 'special file';

/** The kind of file `stats` describe (`stat`, `lstat` or `fstat`). */
export function fileKindOf(stats: Stats): FileKind {
  if (stats.isFile()) return 'regular file';
  if (stats.isDirectory()) return 'folder';
  if (stats.isFIFO()) return 'FIFO';
  if (stats.isCharacterDevice()) return 'character device';
  if (stats.isBlockDevice()) return 'block device';
  if (stats.isSocket()) return 'socket';
  if (stats.isSymbolicLink()) return 'symbolic link';
  return 'special file';
}

/** `a FIFO`, `a folder` ...: the kind with its article (every kind takes `a`). */
export function withArticle(kind: FileKind): string {
  return `a ${kind}`;
}
