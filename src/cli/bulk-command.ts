import { Option, type Command } from 'commander';
import type { CredentialsFormat } from '../core/credentials-formats.js';
import { STAGE_INTERVAL_MINUTES_RANGE } from '../core/limits.js';
import { DEFAULT_QUOTA_MB } from '../core/quota.js';
import type {
  BulkMailboxesInput,
  HostnameLimitsAfter,
  LimitsAfter,
} from '../services/bulk/support/bulk-plan.js';
import { createBulkMailboxes } from '../services/bulk/create-bulk-mailboxes.js';
import { previewBulkMailboxes } from '../services/bulk/preview-bulk-mailboxes.js';
import type { PasswordChoice } from '../services/mailboxes/support/password-choice.js';
import { getJob } from '../services/jobs/get-job.js';
import { numberArg, readPasswordFromStdin, usageError } from './args.js';
import { EXIT, ExitCode } from './errors.js';
import { table } from './format.js';
import type { CliIo } from './io.js';
import {
  downloadHint,
  formatOption,
  laterWave,
  refuseExisting,
  runJobHere,
  saveCredentials,
  savedText,
} from './job-commands.js';
import { progressRenderer } from './progress.js';
import { sendingFromOptions, withSendingOptions, type SendingOptions } from './sending-options.js';
import { withSession, type Session } from './session.js';
import type { Actor } from '../services/context.js';
import type { Job } from '../services/jobs/support/job-view.js';

interface BulkOptions extends SendingOptions {
  name?: string;
  domain?: string;
  count?: number;
  dryRun?: boolean;
  out?: string;
  format: CredentialsFormat;
  quotaMb?: number;
  passwordStdin?: boolean;
  stageSize?: number;
  stageIntervalMinutes?: number;
}

/**
 * What `mailbox bulk` and `mailbox spread` share: where the one-time credentials go, in which
 * layout, and what each new mailbox gets.
 */
export const withNewMailboxesOptions = (command: Command): Command =>
  withSendingOptions(command, 'the account’s default (account limits)')
    .option(
      '--out <file>',
      'write the credentials CSV to this new file (mode 0600); - prints it on standard output',
    )
    .addOption(formatOption())
    .option(
      '--quota-mb <mb>',
      `size of each mailbox in MB (default ${DEFAULT_QUOTA_MB})`,
      numberArg,
    )
    .addOption(
      new Option(
        '--password-stdin',
        'give every mailbox the password read from the first line of standard input',
      ),
    );

/** `mailbox bulk`: a batch of mailboxes from one persona name, carried out as a job right here. */
export function registerBulkCommand(mailbox: Command, io: CliIo): void {
  withNewMailboxesOptions(
    mailbox
      .command('bulk')
      .description(
        'create a batch of mailboxes from one person’s name (josh@, josh.smith@, jsmith@ …) ' +
          'with generated passwords, and wait for it',
      )
      .option('--name <name>', 'the person’s real name, e.g. "Josh Smith" (required)')
      .option('--domain <domain>', 'a verified domain or sub-domain (required)')
      .option(
        '--count <n>',
        'number of mailboxes (required; at most the account’s max-bulk-count)',
        numberArg,
      )
      .option(
        '--dry-run',
        'print the exact addresses and where the limits would stand; write nothing',
      ),
  )
    .option('--stage-size <n>', 'roll out in waves of this many mailboxes…', numberArg)
    .option(
      '--stage-interval-minutes <m>',
      `…this many minutes apart (${STAGE_INTERVAL_MINUTES_RANGE[0]}–${STAGE_INTERVAL_MINUTES_RANGE[1]})`,
      numberArg,
    )
    .addHelpText(
      'after',
      '\nPasswords are never printed unless --out - is given. Without --out, download the ' +
        'credentials once with `mailwright jobs credentials JOB --out FILE`.\n' +
        'Staged jobs: the first wave runs now; later waves are carried out by the server ' +
        '(`mailwright serve`).',
    )
    .action((opts: BulkOptions, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const staged = opts.stageSize !== undefined || opts.stageIntervalMinutes !== undefined;
        if (staged && (opts.stageSize === undefined || opts.stageIntervalMinutes === undefined)) {
          usageError(cmd, '--stage-size and --stage-interval-minutes go together: give both.');
        }
        if (!opts.dryRun && opts.out !== undefined) {
          if (staged) {
            usageError(
              cmd,
              'a staged job finishes after its last wave, so --out cannot wait for it: leave out --out and ' +
                'download the credentials with `mailwright jobs credentials JOB --out FILE` once it has finished.',
            );
          }
          checkOut(s, cmd, opts.out);
        }

        const actor = await s.actor();
        const password: PasswordChoice = opts.passwordStdin
          ? { generate: false, value: await readPasswordFromStdin(io, cmd) }
          : { generate: true };
        const input: BulkMailboxesInput = {
          name: opts.name ?? '',
          domain: opts.domain ?? '',
          // A missing count reaches the service, which says what to enter.
          count: opts.count ?? 0,
          password,
          ...(opts.quotaMb === undefined ? {} : { quotaMb: opts.quotaMb }),
          sending: sendingFromOptions(opts, cmd),
          ...(staged
            ? { stages: { size: opts.stageSize!, intervalMinutes: opts.stageIntervalMinutes! } }
            : {}),
        };

        if (opts.dryRun) {
          const result = await previewBulkMailboxes(s.ctx, actor, input);
          if (s.json) return s.printJson(result);
          const { addresses, limits } = result.preview;
          s.out(
            `Would create ${addresses.length} mailbox${addresses.length === 1 ? '' : 'es'} for ` +
              `${input.name.trim()} on ${limits.mailboxesPerDomain.domain}:\n`,
          );
          s.out(`${addresses.map((a) => `  ${a}`).join('\n')}\n`);
          s.out(limitsTable(limits, hostnameRows(limits)));
          s.out('Dry run: nothing was written.');
          return;
        }

        const { job } = await createBulkMailboxes(s.ctx, actor, input);
        await followMailboxJob(s, io, cmd, actor, job, opts);
      }),
    );
}

/** Refuses an --out that cannot work before anything is written. */
export function checkOut(s: Session, cmd: Command, out: string): void {
  if (out === '-' && s.json) {
    usageError(cmd, '--out - prints the CSV where --json prints JSON: give --out FILE.');
  }
  if (out !== '-') refuseExisting(cmd, out);
}

/**
 * Runs a just-accepted mailbox job here with progress, then saves or points to its credentials:
 * what `mailbox bulk` and `mailbox spread` do once the request is accepted.
 */
export async function followMailboxJob(
  s: Session,
  io: CliIo,
  cmd: Command,
  actor: Actor,
  job: Job,
  opts: { out?: string; format: CredentialsFormat },
): Promise<void> {
  // Secrets on stdout (--out -) or JSON there: the story goes to stderr.
  const toStderr = s.json || opts.out === '-';
  const say = (text: string) =>
    toStderr ? io.stderr(text.endsWith('\n') ? text : `${text}\n`) : s.out(text);
  const tty = !toStderr && io.stdoutIsTTY === true;
  say(`Job ${job.id}: creating ${job.total} mailboxes…`);
  const progress = progressRenderer(toStderr ? io.stderr : io.stdout, { tty });
  let final = await runJobHere(s, actor, job.id, progress);
  progress.finish(final);

  if (final.errors.length > 0) {
    say(final.errors.map((e) => `✘ ${e.address}: ${e.message} (${e.code})`).join('\n'));
  }
  if (laterWave(final)) {
    say(
      `Wave done: ${final.done} of ${final.total} created so far. The next wave runs at ${final.nextRunAt}, ` +
        'carried out by the server (`mailwright serve` must be running then); follow it with ' +
        `\`mailwright jobs show ${final.id}\`.`,
    );
    say(downloadHint(final.id).replace('Credentials:', 'Credentials, once the job has finished:'));
    if (s.json) s.printJson({ job: final });
    return;
  }

  say(`✔ Created ${final.done} of ${final.total} mailboxes (job ${final.id}).`);
  let credentialsFile: string | undefined;
  if (final.credentials === 'available') {
    if (opts.out === undefined) say(downloadHint(final.id));
    else {
      const saved = await saveCredentials(s, cmd, actor, final.id, opts.out, opts.format);
      if (opts.out !== '-') {
        credentialsFile = saved.file;
        say(savedText(saved));
      }
      final = await getJob(s.ctx, actor, final.id);
    }
  }
  if (s.json) s.printJson({ job: final, ...(credentialsFile ? { credentialsFile } : {}) });
  if (final.status === 'failed') throw new ExitCode(EXIT.failure);
}

/** The LIMIT/NOW/AFTER/MAX rows of one hostname's slots and storage pool. */
export function hostnameRows(h: HostnameLimitsAfter): string[][] {
  const mb = (n: number) => `${n} MB`;
  return [
    [
      `mailboxLimit of ${h.mailboxesPerDomain.domain}`,
      String(h.mailboxesPerDomain.usage),
      String(h.mailboxesPerDomain.after),
      String(h.mailboxesPerDomain.max),
    ],
    [
      `storage pool of ${h.domainQuotaMb.domain}`,
      mb(h.domainQuotaMb.usage),
      mb(h.domainQuotaMb.after),
      mb(h.domainQuotaMb.max),
    ],
  ];
}

/** The table of where the limits would stand; `hostnames`: the rows of each hostname. */
export function limitsTable(
  l: Pick<LimitsAfter, 'maxBulkCount' | 'mailboxesPerHour' | 'cooldown'>,
  hostnames: string[][],
): string {
  const rows = [
    [
      'maxBulkCount (this request)',
      '-',
      String(l.maxBulkCount.requested),
      String(l.maxBulkCount.max),
    ],
    ...hostnames,
    [
      'maxMailboxesPerHour',
      String(l.mailboxesPerHour.usage),
      String(l.mailboxesPerHour.after),
      String(l.mailboxesPerHour.max),
    ],
  ];
  const c = l.cooldown;
  const cooldown = c.active
    ? `Cooldown: running until ${c.retryAt}; the batch is refused until then.`
    : c.startsAfterThis
      ? `Cooldown: this batch starts one: the next bulk request waits ${c.seconds} s.`
      : 'Cooldown: none.';
  return `\n${table(['LIMIT', 'NOW', 'AFTER', 'MAX'], rows)}${cooldown}\n`;
}
