// Rewrites README.md's table of MAILWRIGHT_* variables from the configuration schema
// (src/app/config-variables.ts); test/config.test.ts fails when the committed table differs.
import { readFileSync, writeFileSync } from 'node:fs';
import { withConfigurationTable } from '../src/app/config-table.js';

const readme = new URL('../README.md', import.meta.url);
writeFileSync(readme, withConfigurationTable(readFileSync(readme, 'utf8')));
console.log('wrote the configuration table of README.md');
