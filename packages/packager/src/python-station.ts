import { z } from 'zod';
import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import { runProcess } from './process/run-process.js';
import { pythonStationScript } from './internal/python-station-script.js';

const wheelReportSchema = z.union([
  z.object({ file: z.string(), name: z.string(), version: z.string(), tags: z.array(z.string()), compatible: z.boolean() }),
  z.object({ file: z.string(), error: z.string() }),
]);

const requirementReportSchema = z.object({
  line: z.number().int(),
  text: z.string(),
  name: z.string().optional(),
  error: z.string().optional(),
  skipped: z.boolean().optional(),
  wheels_named: z.array(z.string()).optional(),
  wheels_in_range: z.array(z.string()).optional(),
  wheels_usable: z.array(z.string()).optional(),
});

/** What the station's interpreter reports about itself and a delivery's wheels and requirements. */
export const pythonStationReportSchema = z.object({
  /** `sys.executable` of the interpreter. */
  executable: z.string(),
  /** `3.11`. */
  python_version: z.string(),
  /** `cp` for CPython (packaging's interpreter name). */
  implementation: z.string(),
  /** The interpreter's ABI tag, e.g. `cp311`. */
  abi: z.string(),
  /** Its most specific platform tag, e.g. `manylinux_2_36_x86_64`. */
  platform: z.string(),
  /** How many tags it supports. */
  tag_count: z.number().int(),
  /** True when `venv` and `ensurepip` import. */
  has_venv: z.boolean(),
  wheels: z.array(wheelReportSchema),
  requirements: z.array(requirementReportSchema),
});

/** See {@link pythonStationReportSchema}. */
export type PythonStationReport = z.infer<typeof pythonStationReportSchema>;

/** What to ask the interpreter about: wheel file names and the requirements.txt text. */
export interface PythonStationQuery {
  wheels?: readonly string[];
  requirements?: string;
}

/**
 * Asks the station's Python (`python`, a command or path; default `python3`) for its supported
 * wheel tags (from `packaging.tags`, never a hard-coded list) and checks wheel names and
 * requirements with `packaging`'s parsers. The interpreter runs isolated (`-I`), with nothing
 * but this program.
 * @throws ProcVisionError 2026 when the interpreter cannot be started or lacks pip's packaging
 */
export async function inspectPythonStation(python = 'python3', query: PythonStationQuery = {}): Promise<PythonStationReport> {
  let stdout: string;
  try {
    ({ stdout } = await runProcess(python, ['-I', '-c', pythonStationScript], {
      cwd: process.cwd(),
      describe: `${python} -I -c <station inspection>`,
      input: JSON.stringify({ wheels: query.wheels ?? [], requirements: query.requirements ?? '' }),
      timeoutMs: 60_000,
    }));
  } catch (error) {
    throw new ProcVisionError(
      ErrorCodes.pythonInterpreterUnavailable,
      `the station's Python interpreter "${python}" cannot inspect this delivery (install python3 with venv and pip, e.g. apt-get install python3-venv python3-pip, or set the store's interpreter): ${(error as Error).message}`,
      { cause: error, details: { python } },
    );
  }
  const parsed = pythonStationReportSchema.safeParse(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}'));
  if (!parsed.success)
    throw new ProcVisionError(
      ErrorCodes.pythonInterpreterUnavailable,
      `the Python interpreter "${python}" answered the station inspection unexpectedly: ${parsed.error.message}`,
      {
        details: { python },
      },
    );
  return parsed.data;
}
