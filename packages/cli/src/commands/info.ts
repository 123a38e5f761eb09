import type { AlgorithmInfo } from '@procvision/manifest';
import { ExitCodes } from '../exit-codes.js';
import type { Output } from '../output.js';
import { loadProject } from '../internal/load-project.js';
import { prepareProject } from '../internal/prepare-project.js';
import { startProjectAlgorithm } from '../internal/start-algorithm.js';

/** One param spec as `getInfo()` declares it (the fields `info` shows). */
interface ParamShape {
  key: string;
  type: string;
  description?: string;
  required?: boolean;
  default?: unknown;
  min?: number;
  max?: number;
  unit?: string;
  min_length?: number;
  max_length?: number;
  pattern?: string;
  choices?: ReadonlyArray<string | number>;
}

/**
 * `procvision info [project]`: what the algorithm declares, as the platform reads it — compiles
 * the project, starts it through the adapter, asks `getInfo()` and prints the supported PIDs and
 * every step with its params and their schemas (type, range, length, choices, default, required).
 */
export async function infoCommand(project: string, output: Output): Promise<number> {
  const loaded = await loadProject(project, 'info');
  await prepareProject(loaded, output);
  const algorithm = await startProjectAlgorithm(loaded, output);
  let info: AlgorithmInfo;
  try {
    info = algorithm.info;
  } finally {
    await algorithm.close();
  }
  const document = { project: loaded.root, manifest: loaded.manifest, info };
  output.result(document, () => formatInfo(info, output.colour.bold));
  return ExitCodes.success;
}

function formatInfo(info: AlgorithmInfo, bold: (text: string) => string): string {
  const lines = [
    `${bold(`${info.name} ${info.version}`)}${info.description ? `: ${info.description}` : ''}`,
    `supported PIDs: ${info.supported_pids.join(', ')}`,
  ];
  for (const step of info.steps) {
    lines.push('', bold(`step ${step.index}: ${step.name}`) + (step.description ? ` - ${step.description}` : ''));
    if (step.params.length === 0) lines.push('  no params');
    for (const param of step.params as readonly ParamShape[]) lines.push(`  ${describeParam(param)}`);
  }
  return lines.join('\n');
}

function describeParam(param: ParamShape): string {
  const facts: string[] = [param.type];
  if (param.min !== undefined || param.max !== undefined) facts.push(`${param.min ?? '-inf'}..${param.max ?? 'inf'}${param.unit ? ` ${param.unit}` : ''}`);
  else if (param.unit) facts.push(param.unit);
  if (param.min_length !== undefined || param.max_length !== undefined) facts.push(`length ${param.min_length ?? 0}..${param.max_length ?? 'any'}`);
  if (param.pattern !== undefined) facts.push(`pattern ${param.pattern}`);
  if (param.choices !== undefined) facts.push(`one of ${param.choices.map((choice) => JSON.stringify(choice)).join(', ')}`);
  if (param.default !== undefined) facts.push(`default ${JSON.stringify(param.default)}`);
  else if (param.required === true) facts.push('required');
  else facts.push('optional');
  return `${param.key} (${facts.join(', ')})${param.description ? `: ${param.description}` : ''}`;
}
