#!/usr/bin/env node
// Writes schemas/*.json (JSON Schema draft 2020-12) from the built zod schemas, so tools in
// other languages can validate ProcVision files and frames. Run after tsup by `pnpm build`.
// Schemas describe the accepted input: fields with defaults are optional. Rules that need
// code (unique pids, NG needs ng_reason, defaults valid for their spec) are not all expressible
// in JSON Schema; the zod schemas remain authoritative.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import * as contracts from '../dist/index.js';

const outputDir = resolve(import.meta.dirname, '..', 'schemas');
const schemas = {
  manifest: [contracts.manifestSchema, 'manifest.json at the root of an algorithm package'],
  'algorithm-info': [contracts.algorithmInfoSchema, 'what getInfo() returns'],
  'param-spec': [contracts.paramSpecSchema, 'one step parameter of getInfo().steps[].params'],
  'pre-execute-result': [contracts.preExecuteResultSchema, 'what preExecute() returns'],
  'execute-result': [contracts.executeResultSchema, 'what execute() returns'],
  'call-data': [contracts.callDataSchema, 'the data of a protocol call frame'],
  'adapter-message': [contracts.adapterMessageSchema, 'any protocol frame an adapter sends to the runner'],
  'runner-message': [contracts.runnerMessageSchema, 'any protocol frame a runner sends to the adapter (nested call form)'],
  'runner-config': [contracts.runnerConfigSchema, 'runner settings; absent keys take the docs/spec/protocol.md defaults'],
  delivery: [contracts.deliverySchema, 'delivery.json inside an offline delivery zip'],
  signature: [contracts.signatureFileSchema, 'the SIGNATURE file inside a signed delivery zip'],
  'golden-labels': [contracts.goldenLabelsSchema, 'labels.json of a golden set (procvision eval)'],
};

rmSync(outputDir, { recursive: true, force: true });
mkdirSync(outputDir, { recursive: true });
for (const [name, [schema, description]] of Object.entries(schemas)) {
  const jsonSchema = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  const document = {
    $id: `https://procvision.invalid/schemas/${name}.json`,
    title: `ProcVision ${name}`,
    description,
    ...jsonSchema,
  };
  writeFileSync(join(outputDir, `${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
}
process.stderr.write(`wrote ${Object.keys(schemas).length} JSON Schema files to schemas/\n`);
