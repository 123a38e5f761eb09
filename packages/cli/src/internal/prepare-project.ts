import type { Output } from '../output.js';
import { buildProject, type ProjectBuild, type SourceMapMode } from './build-project.js';
import type { LoadedProject } from './load-project.js';
import { linkCliSdk } from './sdk-link.js';

/**
 * Gets a project ready to load: links `@procvision/sdk` to the CLI's copy when the project
 * resolves none (saying so on stderr), then compiles `src/*.ts` to the entry module.
 */
export async function prepareProject(project: Pick<LoadedProject, 'root' | 'entry'>, output: Output, sourceMaps?: SourceMapMode): Promise<ProjectBuild> {
  const link = await linkCliSdk(project.root);
  if (link !== undefined) output.note(`linked ${link} to the CLI's @procvision/sdk (install a published version to replace it)`);
  output.progress('compiling...');
  return buildProject(project.root, project.entry.modulePath, sourceMaps);
}
