#!/usr/bin/env node
import { exitOnInterrupt, isServeCommand } from './internal/exit-on-interrupt.js';
import { main } from './main.js';

if (!isServeCommand(process.argv)) exitOnInterrupt();
process.exitCode = await main(process.argv);
