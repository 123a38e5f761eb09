// The run is a real win32-x64 Node: every other suite relies on it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('this is Node for win32-x64', () => {
  assert.equal(process.platform, 'win32');
  assert.equal(process.arch, 'x64');
});
