import type { Command } from 'commander';
import type { CredentialsFormat } from '../core/credentials-formats.js';
import { exportMailboxes } from '../services/bulk/export-mailboxes.js';
import { checkOut } from './bulk-command.js';
import { EXIT, ExitCode } from './errors.js';
import type { CliIo } from './io.js';
import {
  downloadHint,
  formatOption,
  runJobHere,
  saveCredentials,
  savedText,
  verb,
} from './job-commands.js';
import { progressRenderer } from './progress.js';
import { withSession } from './session.js';

interface ExportOptions {
  domain?: string[];
  all?: boolean;
  createdAfter?: string;
  dryRun?: boolean;
  out?: string;
  format: CredentialsFormat;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `mailbox export`: new passwords for existing mailboxes, into one credentials CSV. */
export function registerExportCommand(mailbox: Command, io: CliIo): void {
  mailbox
    .command('export')
    .description(
      'give existing mailboxes new passwords and write them as a credentials CSV for a sending tool (their current passwords stop working)',
    )
    .option(
      '--domain <name>',
      "this domain's mailboxes (and its sub-domains'); repeatable",
      collect,
    )
    .option('--all', 'every active mailbox of the account')
    .option('--created-after <date>', 'only mailboxes created after this ISO 8601 date or time')
    .option('--dry-run', 'say how many mailboxes would get a new password; change nothing')
    .option('--out <file>', 'write the credentials CSV to this new file (mode 0600); - prints it')
    .addOption(formatOption())
    .action((opts: ExportOptions, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        if (!opts.dryRun && opts.out !== undefined) checkOut(s, cmd, opts.out);
        const actor = await s.actor();
        const result = await exportMailboxes(s.ctx, actor, {
          ...(opts.domain ? { domains: opts.domain } : {}),
          ...(opts.all ? { all: true } : {}),
          ...(opts.createdAfter ? { createdAfter: opts.createdAfter } : {}),
          ...(opts.dryRun ? { dryRun: true } : {}),
        });
        if ('preview' in result) {
          if (s.json) return s.printJson(result);
          return s.out(`${result.preview.warning} (${result.preview.domains} domain(s))`);
        }
        // The CSV or JSON on stdout: the story goes to stderr.
        const toStderr = s.json || opts.out === '-';
        const say = (text: string) => (toStderr ? io.stderr(`${text}\n`) : s.out(text));
        say(`Job ${result.job.id}: new passwords for ${result.job.total} mailboxes…`);
        const progress = progressRenderer(toStderr ? io.stderr : io.stdout, {
          tty: !toStderr && io.stdoutIsTTY === true,
          verb: verb(result.job),
        });
        const job = await runJobHere(s, actor, result.job.id, progress);
        progress.finish(job);
        for (const e of job.errors) say(`✘ ${e.address}: ${e.message} (${e.code})`);
        if (job.credentials === 'available') {
          if (opts.out === undefined) say(downloadHint(job.id));
          else {
            const saved = await saveCredentials(s, cmd, actor, job.id, opts.out, opts.format);
            if (opts.out !== '-') say(savedText(saved));
          }
        }
        if (s.json) s.printJson({ job });
        if (job.status === 'failed') throw new ExitCode(EXIT.failure);
      }),
    );
}
