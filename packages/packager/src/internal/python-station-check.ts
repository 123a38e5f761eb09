import { ProcVisionError, ErrorCodes } from '@procvision/manifest';
import type { PythonStationReport } from '../python-station.js';
import type { PythonZipReading } from './python-delivery-reader.js';
import { zipError } from './zip-error.js';

const implementationAliases: Record<string, string> = { cp: 'cp', cpython: 'cp', pp: 'pp', pypy: 'pp', ip: 'ip', ironpython: 'ip', jy: 'jy', jython: 'jy' };

function describeStation(station: PythonStationReport): string {
  return `this station's Python ${station.python_version} (${station.implementation}, ABI ${station.abi}, platform ${station.platform}, ${station.executable})`;
}

/** deploy_bootstrap.json's `python_version`, `abi` and `implementation` (when set) must be the station interpreter's (2021). */
function checkBootstrap(zipPath: string, reading: PythonZipReading, station: PythonStationReport): void {
  if (reading.bootstrap === null) return;
  const name = `${reading.folder}/deploy_bootstrap.json`;
  const field = (key: string): string => {
    const value = reading.bootstrap?.[key];
    if (value === undefined || value === null || value === '') return '';
    if (typeof value !== 'string')
      throw zipError(ErrorCodes.pythonInterpreterMismatch, zipPath, name, `${key} must be a string such as "3.11", got ${JSON.stringify(value)}`);
    return value.trim();
  };
  const version = field('python_version');
  if (version !== '' && version !== station.python_version) {
    throw zipError(
      ErrorCodes.pythonInterpreterMismatch,
      zipPath,
      name,
      `python_version is "${version}" but ${describeStation(station)}: the zip was built for another Python; rebuild it for ${station.python_version} or set the store's interpreter to a python${version}`,
    );
  }
  const abi = field('abi');
  if (abi !== '' && abi !== station.abi) throw zipError(ErrorCodes.pythonInterpreterMismatch, zipPath, name, `abi is "${abi}" but ${describeStation(station)}`);
  const implementation = field('implementation').toLowerCase();
  if (implementation !== '' && (implementationAliases[implementation] ?? implementation) !== station.implementation) {
    throw zipError(ErrorCodes.pythonInterpreterMismatch, zipPath, name, `implementation is "${implementation}" but ${describeStation(station)}`);
  }
}

/**
 * Compares a Python delivery with the station's interpreter: deploy_bootstrap.json (2021),
 * every wheel's file name (2025) and tags (2024), every requirement of requirements.txt
 * parseable and offline (2022) and satisfied by a compatible wheel of wheels/ (2023).
 * @throws ProcVisionError naming the wheel, or the requirement and its line
 */
export function checkPythonStation(zipPath: string, reading: PythonZipReading, station: PythonStationReport): void {
  checkBootstrap(zipPath, reading, station);
  for (const wheel of station.wheels) {
    if ('error' in wheel)
      throw zipError(ErrorCodes.pythonSourceDistribution, zipPath, `wheels/${wheel.file}`, `is not a valid wheel file name (${wheel.error})`);
    if (!wheel.compatible) {
      throw zipError(
        ErrorCodes.pythonWheelIncompatible,
        zipPath,
        `wheels/${wheel.file}`,
        `is built for ${wheel.tags.join(', ')}, none of which ${describeStation(station)} supports: the zip was built for another platform or Python; rebuild it on or for this platform (procvision-cli package --wheels-platform <platform tag> --python-version ${station.python_version} --abi ${station.abi})`,
        undefined,
      );
    }
  }
  const requirementsName = `${reading.folder}/requirements.txt`;
  for (const requirement of station.requirements) {
    const where = `line ${String(requirement.line)} "${requirement.text}"`;
    if (requirement.error !== undefined) throw zipError(ErrorCodes.pythonRequirementsInvalid, zipPath, requirementsName, `${where}: ${requirement.error}`);
    if (requirement.skipped === true) continue;
    const named = requirement.wheels_named ?? [];
    const inRange = requirement.wheels_in_range ?? [];
    if ((requirement.wheels_usable ?? []).length > 0) continue;
    const subject = `requirement ${requirement.name ?? requirement.text} (${requirementsName} ${where})`;
    const details = { zip: zipPath, entry: requirementsName, requirement: requirement.text, line: requirement.line };
    if (named.length === 0)
      throw new ProcVisionError(
        ErrorCodes.pythonRequirementUnsatisfied,
        `${zipPath}: ${subject} has no wheel in wheels/; add its wheel (pip download --only-binary=:all: -d wheels ...)`,
        {
          details,
        },
      );
    if (inRange.length === 0)
      throw new ProcVisionError(ErrorCodes.pythonRequirementUnsatisfied, `${zipPath}: ${subject} is not satisfied by wheels/ (${named.join(', ')})`, {
        details,
      });
    throw new ProcVisionError(
      ErrorCodes.pythonWheelIncompatible,
      `${zipPath}: ${subject}: its wheels ${inRange.join(', ')} do not match ${describeStation(station)}`,
      { details },
    );
  }
}
