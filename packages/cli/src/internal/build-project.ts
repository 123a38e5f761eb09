import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '../usage-error.js';

/** What {@link buildProject} did. */
export interface ProjectBuild {
  /** True when TypeScript sources were compiled; false when the entry module is used as it is. */
  compiled: boolean;
  /** The source file compiled (relative to the project), when one was. */
  source?: string;
  /** Milliseconds spent compiling. */
  durationMs: number;
}

/**
 * What the entry module's source map holds: `lines` maps every line back to `src/...ts` without
 * the TypeScript text, `full` also embeds the sources (`sourcesContent`), `none` writes no map.
 */
export type SourceMapMode = 'lines' | 'full' | 'none';

/** The source map kinds `package --source-maps` accepts. */
export const sourceMapModes: readonly SourceMapMode[] = ['lines', 'full', 'none'];

/** Raised when the project's TypeScript does not compile: a usage error naming file:line:column. */
class ProjectBuildError extends UsageError {}

const sourceExtensions = ['.ts', '.mts', '.tsx'];

/**
 * The TypeScript source of an entry module: `dist/main.js` is built from `src/main.ts`
 * (or `.mts`/`.tsx`). Undefined when there is none (a plain JavaScript project).
 */
function entrySource(projectDir: string, entryModule: string): string | undefined {
  const match = /^(?:\.\/)?dist\/(.+)\.(?:m?js)$/.exec(entryModule);
  if (match === null) return undefined;
  return sourceExtensions.map((extension) => `src/${match[1]}${extension}`).find((candidate) => existsSync(join(projectDir, candidate)));
}

/**
 * Compiles the project's TypeScript entry (`src/main.ts` for `dist/main.js`) with esbuild into
 * the entry module: one ESM file, local imports bundled, npm packages (`@procvision/sdk`, sharp
 * ...) left as imports. A project without TypeScript sources is used as it is.
 */
export async function buildProject(projectDir: string, entryModule: string, sourceMaps: SourceMapMode = 'full'): Promise<ProjectBuild> {
  const source = entrySource(projectDir, entryModule);
  if (source === undefined) return { compiled: false, durationMs: 0 };
  const { build } = await import('esbuild');
  const started = performance.now();
  const result = await build({
    absWorkingDir: projectDir,
    entryPoints: [source],
    outfile: entryModule,
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    sourcemap: sourceMaps !== 'none',
    sourcesContent: sourceMaps === 'full',
    logLevel: 'silent',
  }).catch((error: unknown) => error);
  if (result instanceof Error) {
    const errors = (result as Error & { errors?: Array<{ text: string; location?: { file: string; line: number; column: number } | null }> }).errors ?? [];
    const where = errors
      .slice(0, 3)
      .map((item) => (item.location ? `${item.location.file}:${item.location.line}:${item.location.column + 1}: ${item.text}` : item.text))
      .join('; ');
    throw new ProjectBuildError(`the project does not build: ${where || result.message}. Fix ${source} and try again.`, {
      example: `procvision validate ${projectDir}`,
      cause: result,
    });
  }
  // A map an earlier build left would still ship the sources.
  if (sourceMaps === 'none') await rm(join(projectDir, `${entryModule}.map`), { force: true });
  return { compiled: true, source, durationMs: Math.round(performance.now() - started) };
}
