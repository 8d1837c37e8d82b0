#!/usr/bin/env node
import { processIo } from './io.js';
import { runCli } from './program.js';

// A reader that leaves early (`mailwright mailstack status | head -1`) closes the pipe: stop
// there, quietly, as the writers of `head` do, not with an unhandled 'error' event.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(process.exitCode ?? 0);
});

// exitCode, not exit(): `serve` keeps the process alive after runCli returns.
process.exitCode = await runCli(processIo(), process.argv.slice(2));
