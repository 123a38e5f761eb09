import { existsSync, statSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Rect } from '@procvision/manifest';
import { UsageError } from '../../usage-error.js';

/** One image of a golden set with what it should get. */
export interface GoldenImage {
  /** Path relative to the golden-set folder, with `/` (`ng/part-7.png`). */
  file: string;
  /** Absolute path. */
  path: string;
  expected: 'OK' | 'NG';
  /** Defect rects the algorithm should find (labels.json only). */
  defectRects?: Rect[];
}

/** A golden set: its folder, where the labels came from, its images in file order. */
export interface GoldenSet {
  folder: string;
  source: 'folders' | 'labels.json';
  images: GoldenImage[];
}

const imageExtension = /\.(png|jpe?g|bmp|tiff?|webp)$/i;
/** The most images one golden set may hold. */
const maxImages = 100_000;

/**
 * Reads a golden set: `labels.json` in `folder` when there is one (file names to `OK`/`NG`
 * or `{verdict, defect_rects}`), else the images of the `ok/` and `ng/` subfolders.
 * A missing folder, a bad labels.json, a label naming a missing file, or an empty set is a usage error.
 */
export async function readGoldenSet(folder: string, example: string): Promise<GoldenSet> {
  const root = resolve(folder);
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UsageError(`golden-set folder ${root} does not exist; pass a folder with ok/ and ng/ subfolders of images, or a labels.json.`, { example });
  }
  const labelsPath = join(root, 'labels.json');
  const images = existsSync(labelsPath) ? await fromLabels(root, labelsPath, example) : await fromFolders(root, example);
  if (images.length === 0) {
    throw new UsageError(
      `golden-set folder ${root} holds no images: put JPEG or PNG files into ${join(root, 'ok')} and ${join(root, 'ng')}, or list them in labels.json.`,
      {
        example,
      },
    );
  }
  return { folder: root, source: existsSync(labelsPath) ? 'labels.json' : 'folders', images };
}

async function fromFolders(root: string, example: string): Promise<GoldenImage[]> {
  const images: GoldenImage[] = [];
  for (const expected of ['OK', 'NG'] as const) {
    const sub = expected.toLowerCase();
    const directory = join(root, sub);
    if (!existsSync(directory)) continue;
    const entries = await readdir(directory, { withFileTypes: true });
    for (const entry of entries.filter((item) => item.isFile() && imageExtension.test(item.name)).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      images.push({ file: `${sub}/${entry.name}`, path: join(directory, entry.name), expected });
      if (images.length > maxImages) throw new UsageError(`golden-set folder ${root} holds more than ${maxImages} images; split it.`, { example });
    }
  }
  return images;
}

async function fromLabels(root: string, labelsPath: string, example: string): Promise<GoldenImage[]> {
  const { goldenLabelsSchema } = await import('@procvision/manifest');
  if (statSync(labelsPath).size > 64 * 1024 * 1024) throw new UsageError(`${labelsPath} is larger than 64 MiB.`, { example });
  let value: unknown;
  try {
    value = JSON.parse(await readFile(labelsPath, 'utf8')) as unknown;
  } catch (error) {
    throw new UsageError(`${labelsPath} is not JSON: ${(error as Error).message}`, { example, cause: error });
  }
  const parsed = goldenLabelsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : '(root)';
    throw new UsageError(
      `${labelsPath}: ${where}: ${issue?.message ?? 'invalid'}; expected {"file.png": "OK" | "NG" | {"verdict": "NG", "defect_rects": [...]}}.`,
      {
        example,
      },
    );
  }
  return Object.entries(parsed.data)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([file, label]) => {
      const path = join(root, file);
      if (!existsSync(path)) throw new UsageError(`${labelsPath} names ${file}, which is not in ${root}.`, { example });
      const entry = typeof label === 'string' ? { verdict: label } : label;
      return {
        file: file.replaceAll('\\', '/'),
        path,
        expected: entry.verdict,
        ...('defect_rects' in entry && entry.defect_rects !== undefined ? { defectRects: entry.defect_rects } : {}),
      };
    });
}
