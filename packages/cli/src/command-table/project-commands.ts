import { supportedTargets } from '@procvision/packager/targets';
import { commaList, nonNegativeInteger, positiveInteger } from '../internal/option-parsers.js';
import { sourceMapModes } from '../internal/build-project.js';
import type { CommandSpec } from './command-spec.js';
import { guideOptions, npmOption, signatureOptions } from './shared-options.js';
import type { DoctorOptions } from '../commands/doctor.js';
import type { EvalOptions } from '../commands/eval.js';
import type { InitOptions } from '../commands/init.js';
import type { PackageOptions } from '../commands/package.js';
import type { RunOptions } from '../commands/run.js';
import type { SbomOptions } from '../commands/sbom.js';
import type { SignOptions } from '../commands/sign.js';
import type { ValidateOptions } from '../commands/validate.js';

/** The commands an algorithm author uses: init, validate, run, eval, package, sign, sbom, doctor. */
export const projectCommands: readonly CommandSpec[] = [
  {
    name: 'init',
    description: 'scaffold a TypeScript algorithm project that passes validate and run unchanged',
    arguments: [{ name: '<name>', description: 'package name: lowercase letters, digits, _ and -' }],
    options: [
      { flags: '-d, --dir <dir>', description: 'the project folder to create (default: ./<name>); must be missing or empty' },
      { flags: '--pids <pids>', description: 'supported product ids, comma-separated (default: a PID_TO_FILL placeholder)', parse: commaList },
      { flags: '-v, --version <version>', description: 'semantic version of the algorithm', defaultValue: '1.0.0' },
      { flags: '-e, --desc <text>', description: 'one-line description' },
    ],
    examples: ['procvision init screw-check --pids A01,A02', 'procvision init screw-check -d ./algorithms/screw-check --pids A01'],
    run: async (output, [name], options) => (await import('../commands/init.js')).initCommand(name as string, options as InitOptions, output),
  },
  {
    name: 'validate',
    description: 'check a project (manifest, entry, getInfo, smoke run, assets) or a delivery zip',
    arguments: [{ name: '[project]', description: 'project folder (default: the current folder)' }],
    options: [
      { flags: '--manifest <path>', description: 'manifest file (default: <project>/manifest.json)' },
      { flags: '--zip <path>', description: 'also verify this delivery zip (ours or a Python SDK zip): structure, integrity, signature' },
      { flags: '--python <interpreter>', description: "with a Python SDK zip: the station's interpreter its wheels must suit (default python3)" },
      ...signatureOptions('the --zip'),
    ],
    examples: [
      'procvision validate <project>',
      'procvision validate <project> --zip <name>-v<version>-linux-x64-glibc-offline.zip --json',
      'procvision validate --zip <name>-v<version>-offline.zip --python /usr/bin/python3',
    ],
    run: async (output, [project], options) =>
      (await import('../commands/validate.js')).validateCommand(project as string | undefined, options as ValidateOptions, output),
  },
  {
    name: 'run',
    description: 'run one step through the adapter in a child process, as the platform does',
    arguments: [{ name: '[project]', description: 'project folder (default: the current folder)' }],
    options: [
      { flags: '--pid <pid>', description: 'product id, one of supported_pids', required: true },
      { flags: '--image <file>', description: 'image file (JPEG, PNG, ...)', required: true },
      { flags: '--step <n>', description: 'step index, from 1', parse: positiveInteger, defaultValue: 1 },
      { flags: '--params <json>', description: 'user params as a JSON object' },
      { flags: '--timeout-ms <ms>', description: 'execute timeout in milliseconds', parse: positiveInteger },
      ...guideOptions,
      { flags: '--report <dir>', description: 'write report.json, report.html and annotated.png to this folder' },
    ],
    examples: [
      'procvision run <project> --pid <pid> --image <image>',
      'procvision run <project> --pid <pid> --image <image> --params \'{"threshold":60}\' --report out/',
    ],
    run: async (output, [project], options) =>
      (await import('../commands/run.js')).runCommand((project as string | undefined) ?? '.', options as unknown as RunOptions, output),
  },
  {
    name: 'eval',
    description: 'run a golden set (ok/ and ng/ images, or labels.json) through the algorithm: confusion table, misses, timings',
    arguments: [
      { name: '[project]', description: 'project folder (default: the current folder when only the golden set is given)' },
      { name: '[folder]', description: 'golden-set folder: ok/ and ng/ subfolders of images, or a labels.json' },
    ],
    options: [
      { flags: '--pid <pid>', description: 'product id (default: the first of supported_pids)' },
      { flags: '--step <n>', description: 'step index, from 1', parse: positiveInteger, defaultValue: 1 },
      { flags: '--params <json>', description: 'user params as a JSON object, for every image' },
      { flags: '--timeout-ms <ms>', description: 'execute timeout in milliseconds', parse: positiveInteger },
      { flags: '--report <dir>', description: 'write index.html, eval.json and a run report of every miss to this folder' },
      { flags: '--baseline <file>', description: 'a saved eval --json: list every image whose verdict changed (exit 1 when any did)' },
      { flags: '--max-misses <n>', description: 'misses allowed before exit 1', parse: nonNegativeInteger, defaultValue: 0 },
    ],
    examples: [
      'procvision eval <project> <project>/samples --pid <pid>',
      'procvision eval <project> golden/ --step 2 --json > baseline.json',
      'procvision eval <project> golden/ --step 2 --baseline baseline.json --report eval-report/',
    ],
    run: async (output, [project, folder], options) =>
      (await import('../commands/eval.js')).evalCommand(project as string | undefined, folder as string | undefined, options as unknown as EvalOptions, output),
  },
  {
    name: 'package',
    description: 'build the offline delivery zip: one per target, every npm dependency inside; needs only npm, which reads your .npmrc',
    arguments: [{ name: '[project]', description: 'project folder (default: the current folder)' }],
    options: [
      { flags: '-o, --output <zip>', description: 'zip path or folder (default <project>/release/<name>-v<version>-<target>-offline.zip)' },
      { flags: '--target <target...>', description: 'target platforms (default: procvision.target.json, else this machine)', choices: supportedTargets },
      { flags: '--node-abi <n>', description: 'Node ABI of the target (default: this Node)', parse: positiveInteger },
      { flags: '-s, --skip-deps', description: 'do not vendor npm dependencies' },
      { flags: '--sign-key <pem>', description: 'ed25519 private key (PEM file) to sign delivery.json' },
      { flags: '--refresh-lock', description: "resolve the dependency ranges again and rewrite the project's lockfile (default: deliver the locked versions)" },
      {
        flags: '--source-maps <kind>',
        description: 'lines: stacks map to src/...ts:line without the TypeScript text; full: the map embeds the sources; none: no map',
        defaultValue: 'lines',
        choices: sourceMapModes,
      },
      npmOption,
    ],
    examples: [
      'procvision package <project>',
      'procvision package <project> --refresh-lock',
      'procvision package <project> -o release/ --target linux-x64 --target linux-arm64-musl --sign-key keys/release.pem',
    ],
    run: async (output, [project], options) =>
      (await import('../commands/package.js')).packageCommand((project as string | undefined) ?? '.', options as PackageOptions, output),
  },
  {
    name: 'info',
    description: "show what the algorithm declares: supported PIDs, steps, and each step's params with their schemas",
    arguments: [{ name: '[project]', description: 'project folder (default: the current folder)' }],
    options: [],
    examples: ['procvision info <project>', 'procvision info <project> --json'],
    run: async (output, [project]) => (await import('../commands/info.js')).infoCommand((project as string | undefined) ?? '.', output),
  },
  {
    name: 'completion',
    description: 'print the shell completion script for bash, zsh or fish',
    arguments: [{ name: '<shell>', description: 'bash, zsh or fish' }],
    options: [],
    examples: [
      'procvision completion bash > ~/.local/share/bash-completion/completions/procvision',
      'procvision completion fish > ~/.config/fish/completions/procvision.fish',
      'source <(procvision completion zsh)',
    ],
    run: async (output, [shell]) => {
      // The table is read at run time (a dynamic import: no import circle with index.ts).
      const [{ completionCommand }, table] = await Promise.all([import('../commands/completion.js'), import('./index.js')]);
      return completionCommand(shell as string, output, table);
    },
  },
  {
    name: 'sign',
    description: 'sign a delivery zip (ours or a Python SDK zip) with an ed25519 key, in place or into -o',
    arguments: [{ name: '<zip>', description: 'delivery zip' }],
    options: [
      { flags: '--key <pem>', description: 'ed25519 private key (PEM file)', required: true },
      { flags: '-o, --output <zip>', description: 'write the signed zip here (default: replace the zip)' },
    ],
    examples: ['procvision sign <name>-v<version>-offline.zip --key keys/release.pem', 'procvision sign <zip> --key keys/release.pem -o signed/<zip> --json'],
    run: async (output, [zip], options) => (await import('../commands/sign.js')).signCommand(zip as string, options as unknown as SignOptions, output),
  },
  {
    name: 'sbom',
    description: 'print the CycloneDX SBOM of a delivery zip or of an installed version (--json: the document itself)',
    arguments: [{ name: '<package>', description: 'a delivery zip (ours or a Python SDK zip), or name@version installed in --store' }],
    options: [{ flags: '--store <dir>', description: 'package store of name@version (default $PROCVISION_STORE or ./runtime_store)' }],
    examples: [
      'procvision sbom <name>-v<version>-linux-x64-glibc-offline.zip',
      'procvision sbom <name>@<version> --store ./runtime_store --json > sbom.cdx.json',
    ],
    run: async (output, [target], options) => (await import('../commands/sbom.js')).sbomCommand(target as string, options as SbomOptions, output),
  },
  {
    name: 'doctor',
    description: 'check this machine: Node, sharp/libvips, shared memory, /dev/shm space, npm, the store and its signature policy',
    options: [{ flags: '--store <dir>', description: 'package store to check (default $PROCVISION_STORE or ./runtime_store)' }, npmOption],
    examples: ['procvision doctor', 'procvision doctor --store /var/lib/procvision/store --json'],
    run: async (output, _positionals, options) => (await import('../commands/doctor.js')).doctorCommand(options as DoctorOptions, output),
  },
];
