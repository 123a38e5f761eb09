/** The scaffold's `test/main.test.mjs`: node:test, no install needed, runs the compiled class. */
export function testSource(className: string, pid: string): string {
  return `// Runs with \`node --test test/\` (no install needed). \`procvision validate\` or
// \`procvision run\` compile src/main.ts to dist/main.js first.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Session } from '@procvision/sdk';
import { ${className} } from '../dist/main.js';

const root = new URL('..', import.meta.url);
const manifest = JSON.parse(readFileSync(new URL('manifest.json', root), 'utf8'));
const imageMeta = { width: 320, height: 240, timestamp_ms: Date.now(), camera_id: 'test' };

/** Puts an image file where the SDK's dev reader finds \`dev-shm:<key>\` (the Python SDK convention). */
function devShmImage(file) {
  const key = \`scaffold-test-\${process.pid}-\${file.replace(/\\W/g, '_')}\`;
  const directory = process.env.PROC_SHM_DIR || join(tmpdir(), 'procvision_dev_shm');
  mkdirSync(directory, { recursive: true });
  writeFileSync(join(directory, \`\${key}.bin\`), readFileSync(new URL(file, root)));
  return { id: \`dev-shm:\${key}\`, cleanup: () => rmSync(join(directory, \`\${key}.bin\`), { force: true }) };
}

test('getInfo agrees with manifest.json', async () => {
  const info = await new ${className}().getInfo();
  assert.equal(info.name, manifest.name);
  assert.equal(info.version, manifest.version);
  assert.deepEqual(info.supported_pids, manifest.supported_pids);
});

for (const [file, verdict] of [['samples/ok.png', 'OK'], ['samples/ng.png', 'NG']]) {
  test(\`\${file} gives \${verdict}\`, async (t) => {
    const image = devShmImage(file);
    t.after(image.cleanup);
    const algorithm = new ${className}();
    const session = new Session({ id: 'test', context: {}, state: {} });
    const params = { dark_threshold: 60 };
    const pre = await algorithm.preExecute(1, ${JSON.stringify(pid)}, session, params, image.id, imageMeta);
    assert.equal(pre.status, 'OK');
    const result = await algorithm.execute(1, ${JSON.stringify(pid)}, session, params, image.id, imageMeta);
    assert.equal(result.status, 'OK');
    assert.equal(result.data?.result_status, verdict);
  });
}
`;
}
