#!/usr/bin/env node
import { processIo } from './io.js';
import { runCli } from './program.js';

// exitCode, not exit(): `serve` keeps the process alive after runCli returns.
process.exitCode = await runCli(processIo(), process.argv.slice(2));
