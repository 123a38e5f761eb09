#!/usr/bin/env node
// The end-to-end demo. Replaced by the CLI-driven demo once @procvision/cli exists.
import { ErrorCodes, errorCodes } from '@procvision/manifest';

console.log('ProcVision toolkit demo: the error table');
for (const code of Object.values(ErrorCodes)) console.log(`  ${code}  ${errorCodes[code].name}`);
