import type { AlgorithmTemplateInput } from './algorithm-template.js';

/** The scaffold's manifest.json. */
export function manifestFile(input: AlgorithmTemplateInput): string {
  const manifest = {
    name: input.name,
    version: input.version,
    description: input.description,
    entry_point: `dist/main.js:${input.className}`,
    supported_pids: input.pids,
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * The TypeScript the scaffold type-checks with (`npm run typecheck`, and validate/package once
 * installed): the line this toolkit is built and tested with.
 */
const SCAFFOLD_TYPESCRIPT_RANGE = '~5.9.3';

/**
 * The scaffold's package.json: ESM, depends on the `@procvision/sdk` version of this CLI
 * (`^<version>`), TypeScript as its devDependency with a `typecheck` script.
 */
export function packageJsonFile(input: AlgorithmTemplateInput, sdkVersion: string): string {
  const packageJson = {
    name: input.name,
    version: input.version,
    description: input.description,
    private: true,
    type: 'module',
    main: 'dist/main.js',
    scripts: {
      validate: 'procvision validate .',
      'run:ok': 'procvision run . --pid ' + (input.pids[0] ?? 'A01') + ' --image samples/ok.png',
      eval: 'procvision eval . samples --pid ' + (input.pids[0] ?? 'A01'),
      typecheck: 'tsc --noEmit -p tsconfig.json',
      test: 'node --test test/',
      package: 'procvision package .',
    },
    dependencies: { '@procvision/sdk': `^${sdkVersion}` },
    devDependencies: { typescript: SCAFFOLD_TYPESCRIPT_RANGE },
    engines: { node: '>=20.19' },
  };
  return `${JSON.stringify(packageJson, null, 2)}\n`;
}

/**
 * The scaffold's tsconfig.json: for editors and `tsc --noEmit` (the `typecheck` script; validate
 * and package run it when `typescript` is installed); the CLI compiles with esbuild.
 */
export function tsconfigFile(): string {
  const tsconfig = {
    compilerOptions: {
      target: 'ES2023',
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      skipLibCheck: true,
      outDir: 'dist',
      rootDir: 'src',
    },
    include: ['src'],
  };
  return `${JSON.stringify(tsconfig, null, 2)}\n`;
}

/** The scaffold's .gitignore. */
export function gitignoreFile(): string {
  return 'node_modules/\n*.zip\nreport/\n';
}

/** The scaffold's README.md: the commands of the author's loop. */
export function readmeFile(input: AlgorithmTemplateInput): string {
  const pid = input.pids[0] ?? 'A01';
  return `# ${input.name}

${input.description}

A ProcVision inspection algorithm. Edit \`src/main.ts\` (look for \`CHANGE\`), keep
\`manifest.json\` in step with \`getInfo()\`, then:

\`\`\`sh
procvision validate .                                   # every check, compiles src/ to dist/
procvision run . --pid ${pid} --image samples/ok.png     # one step, as the platform runs it
procvision run . --pid ${pid} --image samples/ng.png --report report/
procvision eval . samples --pid ${pid}                  # every image of samples/ok and samples/ng
npm install && npm run typecheck                        # types (validate and package check them too)
node --test test/                                       # the project's own test
procvision package .                                    # the offline delivery zip
\`\`\`

\`procvision\` compiles \`src/*.ts\` to \`dist/main.js\` with esbuild before each validate, run and
package, and type-checks with the project's own \`typescript\` (\`tsc --noEmit\`) in validate
and package once \`npm install\` has installed it; \`node_modules/@procvision/sdk\` links to the SDK that came with the CLI until you
install a published \`@procvision/sdk\`.
`;
}
