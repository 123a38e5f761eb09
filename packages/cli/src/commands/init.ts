import { existsSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { MAX_PACKAGE_NAME_LENGTH, PACKAGE_NAME_PATTERN, SEMVER_PATTERN } from '@procvision/manifest/limits';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { buildProject } from '../internal/build-project.js';
import { cliSdkVersion, linkCliSdk } from '../internal/sdk-link.js';
import { algorithmSource } from '../internal/scaffold/algorithm-template.js';
import { gitignoreFile, manifestFile, packageJsonFile, readmeFile, tsconfigFile } from '../internal/scaffold/project-files.js';
import { writeSampleImages } from '../internal/scaffold/sample-images.js';
import { shellQuote } from '../internal/shell-quote.js';
import { testSource } from '../internal/scaffold/test-template.js';
import { pidPlaceholder } from '../internal/scaffold/pid-placeholder.js';

/** Options of `procvision init`. */
export interface InitOptions {
  /** The project folder itself (default `./<name>`), as `procvision-cli init -d` of the Python SDK. */
  dir?: string;
  pids?: string[];
  version?: string;
  desc?: string;
}

/** `procvision init <name>`: scaffolds a TypeScript algorithm project that validates and runs. */
export async function initCommand(name: string, options: InitOptions, output: Output): Promise<number> {
  if (name.length > MAX_PACKAGE_NAME_LENGTH || !PACKAGE_NAME_PATTERN.test(name)) {
    throw new UsageError(
      `invalid name '${name}': use lowercase letters, digits, _ and -, at most ${MAX_PACKAGE_NAME_LENGTH} characters (it becomes manifest.json "name").`,
      {
        example: 'procvision init screw-check --pids A01,A02',
      },
    );
  }
  const version = options.version ?? '1.0.0';
  if (!SEMVER_PATTERN.test(version)) {
    throw new UsageError(`invalid --version '${version}': expected a semantic version such as 1.0.0.`, { example: `procvision init ${name} -v 1.0.0` });
  }
  const pids = options.pids ?? [pidPlaceholder];
  // -d names the project folder itself, as `procvision-cli init -d` of the Python SDK does.
  const projectDir = resolve(options.dir ?? name);
  if (existsSync(projectDir) && readdirSync(projectDir).length > 0) {
    throw new UsageError(`${projectDir} already exists and is not empty; choose another name or -d for an empty or new folder.`, {
      example: `procvision init ${name} -d ./new-folder/${name}`,
    });
  }
  const input = {
    name,
    version,
    description: options.desc ?? `${name}: a ProcVision inspection algorithm`,
    className: className(name),
    pids,
  };
  const files: Record<string, string> = {
    'manifest.json': manifestFile(input),
    'package.json': packageJsonFile(input, await cliSdkVersion()),
    'tsconfig.json': tsconfigFile(),
    '.gitignore': gitignoreFile(),
    'README.md': readmeFile(input),
    'src/main.ts': algorithmSource(input),
    'test/main.test.mjs': testSource(input.className, pids[0] ?? pidPlaceholder),
  };
  for (const [file, text] of Object.entries(files)) {
    await mkdir(join(projectDir, file, '..'), { recursive: true });
    await writeFile(join(projectDir, file), text, { flag: 'wx' });
  }
  await mkdir(join(projectDir, 'samples'), { recursive: true });
  const samples = await writeSampleImages(join(projectDir, 'samples'));
  // The golden-set layout `procvision eval` reads: one image per label to start with.
  for (const [label, file] of [
    ['ok', samples.ok],
    ['ng', samples.ng],
  ] as const) {
    await mkdir(join(projectDir, 'samples', label), { recursive: true });
    await copyFile(file, join(projectDir, 'samples', label, `part-1.png`));
  }
  const link = await linkCliSdk(projectDir);
  await buildProject(projectDir, 'dist/main.js');

  const shown = shellQuote(relative(process.cwd(), projectDir) || '.');
  const inProject = (file: string): string => shellQuote(join(relative(process.cwd(), projectDir), file));
  const document = {
    project: projectDir,
    name,
    version,
    class_name: input.className,
    supported_pids: pids,
    files: [...Object.keys(files), 'samples/ok.png', 'samples/ng.png', 'samples/ok/part-1.png', 'samples/ng/part-1.png', 'dist/main.js'],
    sdk_link: link ?? null,
  };
  output.result(document, () =>
    [
      `Created ${name} ${version} in ${shown} (class ${input.className}, PIDs ${pids.join(', ')}).`,
      ...(options.pids === undefined ? [`Replace ${pidPlaceholder} in manifest.json and src/main.ts with your product ids.`] : []),
      'Next:',
      `  procvision validate ${shown}`,
      `  procvision run ${shown} --pid ${pids[0]} --image ${inProject('samples/ng.png')} --report ${inProject('report')}`,
      `  procvision package ${shown}`,
    ].join('\n'),
  );
  return ExitCodes.success;
}

/** `screw-check` -> `ScrewCheck`; a leading digit gets an `Algorithm` prefix. */
function className(name: string): string {
  const pascal = name
    .split(/[-_]+/)
    .filter((part) => part !== '')
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
  return /^[A-Za-z]/.test(pascal) ? pascal : `Algorithm${pascal}`;
}
