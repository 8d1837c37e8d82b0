import { bulkJobs } from './bulk-jobs.js';
import { bulkProcesses } from './bulk-processes.js';
import { dnsCheck } from './dns-check.js';
import { hashPools } from './hash-pools.js';
import { mailboxCreate } from './mailbox-create.js';
import { mailboxExport } from './mailbox-export.js';
import { mailboxList } from './mailbox-list.js';
import { mailPlane } from './mail-plane.js';
import { sendingPolicy } from './sending-policy.js';
import { machineFacts, markdownTable, type Row, type Suite } from './support.js';

/**
 * `npm run bench [-- name-filter…]`: runs every suite (or those whose name contains a filter),
 * then prints one table. A missed target is a result, shown in the ok? column, and exits 0; a
 * suite that fails to run is an error and makes the exit status non-zero.
 * `npm run bench -- bulk` runs only the bulk-job suites; MAILWRIGHT_BENCH_BULK_COUNT=1000 shrinks
 * them from 10,000 mailboxes for a quick check; `npm run bench -- mailbox-export` measures the
 * export of existing mailboxes, MAILWRIGHT_BENCH_EXPORT_COUNT=1000 shrinks it.
 * `npm run bench -- mailbox-create` measures single creations (MAILWRIGHT_BENCH_CREATE_COUNT=200
 * shrinks them); `npm run bench -- mailbox-list` lists at 100k and 1M mailboxes
 * (MAILWRIGHT_BENCH_LIST_1M=0 leaves out the 1M size, whose load takes minutes).
 * `npm run bench -- mail-plane` runs the mail-plane
 * suites (as root, with Postfix and Dovecot installed); MAILWRIGHT_BENCH_MAIL_MESSAGES=100 and
 * MAILWRIGHT_BENCH_IMAP_LOGINS=50 shrink them. `npm run bench -- sending-policy` (root, the mail
 * stack installed) measures the sending policy; MAILWRIGHT_BENCH_POLICY_DECISIONS=2000 and
 * MAILWRIGHT_BENCH_SUBMISSIONS=100 shrink it.
 */
const suites: Suite[] = [
  mailboxCreate('sqlite'),
  mailboxCreate('postgres'),
  hashPools,
  mailboxList('sqlite'),
  mailboxList('postgres'),
  bulkJobs('sqlite'),
  bulkJobs('postgres'),
  mailboxExport('sqlite'),
  mailboxExport('postgres'),
  bulkProcesses,
  dnsCheck,
  mailPlane('sqlite'),
  mailPlane('postgres'),
  sendingPolicy('sqlite'),
  sendingPolicy('postgres'),
];

const filters = process.argv.slice(2);
const selected = suites.filter(
  (s) => filters.length === 0 || filters.some((f) => s.name.includes(f)),
);
if (selected.length === 0) {
  process.stderr.write(
    `No suite matches ${filters.join(', ')}; suites: ${suites.map((s) => s.name).join(', ')}\n`,
  );
  process.exit(2);
}

process.stdout.write(`Mailwright bench — ${machineFacts()}\n`);
const rows: Row[] = [];
const failed: string[] = [];
const started = performance.now();
for (const suite of selected) {
  process.stderr.write(`▶ ${suite.name}\n`);
  const suiteStart = performance.now();
  try {
    rows.push(...(await suite.run()));
    process.stderr.write(`  done in ${((performance.now() - suiteStart) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    failed.push(suite.name);
    process.stderr.write(
      `✖ ${suite.name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
}

process.stdout.write(`\n${markdownTable(rows)}\n\n`);
process.stdout.write(`Total ${((performance.now() - started) / 1000).toFixed(1)} s.`);
if (failed.length > 0) {
  process.stdout.write(` FAILED: ${failed.join(', ')}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write('\n');
}
