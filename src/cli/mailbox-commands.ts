import { Option, type Command } from 'commander';
import { DEFAULT_PAGE_LIMIT } from '../core/page-limit.js';
import { DEFAULT_QUOTA_MB } from '../core/quota.js';
import type { SendingPolicy } from '../core/sending.js';
import { bulkSetForwarding } from '../services/bulk/bulk-set-forwarding.js';
import { bulkSetSending } from '../services/bulk/bulk-set-sending.js';
import { previewBulkForwarding } from '../services/bulk/preview-bulk-forwarding.js';
import { previewBulkSending } from '../services/bulk/preview-bulk-sending.js';
import { createMailbox } from '../services/mailboxes/create-mailbox.js';
import { deleteMailbox } from '../services/mailboxes/delete-mailbox.js';
import { getMailbox } from '../services/mailboxes/get-mailbox.js';
import { listMailboxes } from '../services/mailboxes/list-mailboxes.js';
import type { Mailbox } from '../services/mailboxes/support/mailbox-view.js';
import type { PasswordChoice } from '../services/mailboxes/support/password-choice.js';
import { updateMailbox, type UpdateMailboxInput } from '../services/mailboxes/update-mailbox.js';
import { registerAppPasswordCommand } from './app-password-command.js';
import { collect, numberArg, readPasswordFromStdin, usageError } from './args.js';
import { registerBulkCommand } from './bulk-command.js';
import { followItemJob } from './domain-job.js';
import { registerSpreadCommand } from './spread-command.js';
import { registerExportCommand } from './export-command.js';
import { shownOncePassword, table } from './format.js';
import type { CliIo } from './io.js';
import { sendingFromOptions, withSendingOptions, type SendingOptions } from './sending-options.js';
import { withSession } from './session.js';

interface AddOptions extends SendingOptions {
  name?: string;
  local?: string;
  domain?: string;
  passwordStdin?: boolean;
  generate?: boolean;
  quotaMb?: number;
}

interface UpdateOptions {
  name?: string;
  quotaMb?: number;
  enable?: boolean;
  disable?: boolean;
  passwordStdin?: boolean;
  generatePassword?: boolean;
}

export function registerMailboxCommands(program: Command, io: CliIo): void {
  const mailbox = program.command('mailbox').description('mailboxes on verified domains');

  withSendingOptions(
    mailbox
      .command('add')
      .description('create a mailbox; its password is generated unless --password-stdin is given')
      // Not "required" options: a missing one reaches the service, which says what to enter.
      .option('--name <name>', 'the person’s real name, e.g. "Josh Smith" (required)')
      .option('--local <local-part>', 'the part before @, e.g. josh (required)')
      .option('--domain <domain>', 'a verified domain or sub-domain (required)')
      .addOption(
        new Option('--password-stdin', 'read the password from the first line of standard input'),
      )
      .addOption(
        new Option(
          '--generate',
          'generate a random password and show it once (the default)',
        ).conflicts('passwordStdin'),
      )
      .option('--quota-mb <mb>', `mailbox size in MB (default ${DEFAULT_QUOTA_MB})`, numberArg),
    'the account’s default (account limits)',
  ).action((opts: AddOptions, cmd: Command) =>
    withSession(io, cmd, async (s) => {
      const actor = await s.actor();
      const password: PasswordChoice = opts.passwordStdin
        ? { generate: false, value: await readPasswordFromStdin(io, cmd) }
        : { generate: true };
      const result = await createMailbox(s.ctx, actor, {
        name: opts.name ?? '',
        localPart: opts.local ?? '',
        domain: opts.domain ?? '',
        password,
        ...(opts.quotaMb === undefined ? {} : { quotaMb: opts.quotaMb }),
        sending: sendingFromOptions(opts, cmd),
      });
      if (s.json) return s.printJson(result);
      s.out(
        `✔ Created ${result.mailbox.address} for ${result.mailbox.name} (${result.mailbox.quotaMb} MB).`,
      );
      if (result.password !== undefined) s.out(shownOncePassword(result.password));
    }),
  );

  registerBulkCommand(mailbox, io);
  registerSpreadCommand(mailbox, io);
  registerExportCommand(mailbox, io);
  registerAppPasswordCommand(mailbox, io);

  mailbox
    .command('list')
    .description('list mailboxes in address order')
    .option('--domain <domain>', 'only this domain’s mailboxes')
    .option('--q <prefix>', 'address prefix, e.g. jo or josh@sales.')
    .option('--cursor <cursor>', 'continue after the previous page (its next cursor)')
    .option('--limit <n>', `mailboxes per page (default ${DEFAULT_PAGE_LIMIT})`, numberArg)
    .action(
      (opts: { domain?: string; q?: string; cursor?: string; limit?: number }, cmd: Command) =>
        withSession(io, cmd, async (s) => {
          const page = await listMailboxes(s.ctx, await s.actor(), opts);
          if (s.json) return s.printJson(page);
          if (page.items.length === 0 && !opts.cursor) {
            s.out(
              opts.domain || opts.q
                ? 'No mailboxes match.'
                : 'No mailboxes yet: add one with `mailwright mailbox add --name "Josh Smith" --local josh --domain example.com`.',
            );
            return;
          }
          s.out(
            table(
              ['ADDRESS', 'NAME', 'QUOTA', 'SENT TODAY', 'STATUS'],
              page.items.map((m) => [
                m.address,
                m.name,
                `${m.quotaMb} MB`,
                `${m.sending.sentToday}/${m.sending.limitToday}`,
                m.active ? 'active' : 'disabled',
              ]),
            ),
          );
          if (page.nextCursor) s.out(`\nMore: mailwright mailbox list --cursor ${page.nextCursor}`);
        }),
    );

  mailbox
    .command('show')
    .description('show one mailbox')
    .argument('<address>')
    .action((address: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const found = await getMailbox(s.ctx, await s.actor(), address);
        if (s.json) return s.printJson(found);
        s.out(details(found));
      }),
    );

  mailbox
    .command('update')
    .description('change name, quota, enabled state or password; only what is given changes')
    .argument('<address>')
    .option('--name <name>', 'the person’s real name')
    .option('--quota-mb <mb>', 'mailbox size in MB', numberArg)
    .addOption(new Option('--enable', 'let the mailbox receive and send mail again'))
    .addOption(new Option('--disable', 'stop the mailbox without deleting it').conflicts('enable'))
    .addOption(
      new Option('--password-stdin', 'set the password read from the first line of standard input'),
    )
    .addOption(
      new Option('--generate-password', 'set a random password and show it once').conflicts(
        'passwordStdin',
      ),
    )
    .action((address: string, opts: UpdateOptions, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const input: UpdateMailboxInput = {};
        if (opts.name !== undefined) input.name = opts.name;
        if (opts.quotaMb !== undefined) input.quotaMb = opts.quotaMb;
        if (opts.enable) input.active = true;
        if (opts.disable) input.active = false;
        if (opts.generatePassword) input.password = { generate: true };
        if (Object.keys(input).length === 0 && !opts.passwordStdin) {
          cmd.error(
            'error: nothing to change: give --name, --quota-mb, --enable, --disable, --password-stdin or --generate-password.',
            { exitCode: 2, code: 'mailwright.usage' },
          );
        }
        const actor = await s.actor();
        if (opts.passwordStdin)
          input.password = { generate: false, value: await readPasswordFromStdin(io, cmd) };
        const result = await updateMailbox(s.ctx, actor, address, input);
        if (s.json) return s.printJson(result);
        s.out(`✔ Updated ${result.mailbox.address}.\n`);
        s.out(details(result.mailbox));
        if (result.password !== undefined) s.out(shownOncePassword(result.password));
      }),
    );

  withSendingOptions(
    mailbox
      .command('bulk-set-sending')
      .description(
        'change the sending limits of many mailboxes as one job: the listed ones or every one of --domain; only what is given changes',
      )
      .argument('[addresses...]')
      .option('--domain <hostname>', 'every mailbox of this hostname (not of its sub-domains)')
      .option('--dry-run', 'print each mailbox’s limits before and after; write nothing'),
    'unchanged',
  ).action(
    (
      addresses: string[],
      opts: SendingOptions & { domain?: string; dryRun?: boolean },
      cmd: Command,
    ) =>
      withSession(io, cmd, async (s) => {
        const sending = sendingFromOptions(opts, cmd);
        if (!sending) {
          usageError(
            cmd,
            'nothing to change: give --daily-limit, --hourly-limit, --warmup or --no-warmup.',
          );
        }
        const actor = await s.actor();
        const input = {
          ...(addresses.length > 0 ? { addresses } : {}),
          ...(opts.domain !== undefined ? { domain: opts.domain } : {}),
          sending,
        };
        if (opts.dryRun) {
          const result = await previewBulkSending(s.ctx, actor, input);
          if (s.json) return s.printJson(result);
          s.out(
            table(
              ['ADDRESS', 'NOW', 'AFTER'],
              result.preview.mailboxes.map((m) => [
                m.address,
                policySummary(m.before),
                m.changed ? policySummary(m.after) : 'unchanged',
              ]),
            ),
          );
          s.out('\nDry run: nothing was written.');
          return;
        }
        const accepted = await bulkSetSending(s.ctx, actor, input);
        await followItemJob(s, io, actor, accepted.job, {
          key: 'addresses',
          names: accepted.addresses,
          noun: 'mailbox(es)',
        });
      }),
  );

  withSendingOptions(
    mailbox
      .command('set-sending')
      .description(
        'change a mailbox’s sending limits, enforced at submission; only what is given changes',
      )
      .argument('<address>'),
    'unchanged',
  ).action((address: string, opts: SendingOptions, cmd: Command) =>
    withSession(io, cmd, async (s) => {
      const sending = sendingFromOptions(opts, cmd);
      if (!sending) {
        usageError(
          cmd,
          'nothing to change: give --daily-limit, --hourly-limit, --warmup or --no-warmup.',
        );
      }
      const result = await updateMailbox(s.ctx, await s.actor(), address, { sending });
      if (s.json) return s.printJson(result);
      s.out(`✔ Updated the sending limits of ${result.mailbox.address}.\n`);
      s.out(details(result.mailbox));
    }),
  );

  mailbox
    .command('forward')
    .description(
      'forward a mailbox’s mail to other addresses (replacing its forwarding), or stop with --off',
    )
    .argument('<address>')
    .argument('[targets...]', 'mailboxes or aliases of the account, or outside addresses')
    .option('--no-keep-copy', 'deliver only to the targets, not to the mailbox')
    .option('--off', 'stop forwarding; the mailbox keeps its mail')
    .action(
      (
        address: string,
        targets: string[],
        opts: { keepCopy: boolean; off?: boolean },
        cmd: Command,
      ) =>
        withSession(io, cmd, async (s) => {
          if (opts.off && targets.length > 0) usageError(cmd, '--off takes no targets.');
          if (!opts.off && targets.length === 0) {
            usageError(cmd, 'give the addresses to forward to, or --off to stop forwarding.');
          }
          const forwarding = opts.off ? null : { to: targets, keepCopy: opts.keepCopy };
          const result = await updateMailbox(s.ctx, await s.actor(), address, { forwarding });
          if (s.json) return s.printJson(result);
          s.out(`✔ ${result.mailbox.address}: ${forwardingSummary(result.mailbox.forwarding)}.`);
        }),
    );

  mailbox
    .command('bulk-forward')
    .description(
      'forward many mailboxes to the same addresses as one job: the listed ones or every one of each --domain; --off stops their forwarding',
    )
    .argument('[addresses...]')
    .option('--domain <hostname>', 'every mailbox of this hostname (repeat for more)', collect)
    .option('--to <address>', 'where their mail goes (repeat for more)', collect)
    .option('--keep-copy', 'each mailbox keeps a copy (the default)')
    .option('--no-keep-copy', 'deliver only to the targets, not to the mailboxes')
    .option('--off', 'stop their forwarding; the mailboxes keep their mail')
    .option('--dry-run', 'print each mailbox’s forwarding before and after; write nothing')
    .action(
      (
        addresses: string[],
        opts: {
          domain?: string[];
          to?: string[];
          keepCopy?: boolean;
          off?: boolean;
          dryRun?: boolean;
        },
        cmd: Command,
      ) =>
        withSession(io, cmd, async (s) => {
          if (opts.off && opts.to) usageError(cmd, '--off takes no --to.');
          if (!opts.off && !opts.to) {
            usageError(
              cmd,
              'give --to with the addresses to forward to, or --off to stop forwarding.',
            );
          }
          const actor = await s.actor();
          const input = {
            ...(addresses.length > 0 ? { addresses } : {}),
            ...(opts.domain ? { domains: opts.domain } : {}),
            forwarding: opts.off
              ? null
              : {
                  to: opts.to!,
                  ...(opts.keepCopy !== undefined ? { keepCopy: opts.keepCopy } : {}),
                },
          };
          if (opts.dryRun) {
            const result = await previewBulkForwarding(s.ctx, actor, input);
            if (s.json) return s.printJson(result);
            s.out(
              table(
                ['ADDRESS', 'NOW', 'AFTER'],
                result.preview.mailboxes.map((m) => [
                  m.address,
                  forwardingSummary(m.before),
                  m.refused
                    ? `refused: ${m.refused.message} (${m.refused.code})`
                    : m.changed
                      ? forwardingSummary(m.after)
                      : 'unchanged',
                ]),
              ),
            );
            s.out('\nDry run: nothing was written.');
            return;
          }
          const accepted = await bulkSetForwarding(s.ctx, actor, input);
          await followItemJob(s, io, actor, accepted.job, {
            key: 'addresses',
            names: accepted.addresses,
            noun: 'mailbox(es)',
          });
        }),
    );

  mailbox
    .command('remove')
    .description('delete a mailbox')
    .argument('<address>')
    .action((address: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        await deleteMailbox(s.ctx, await s.actor(), address);
        // Like the API's 204, --json prints nothing: the exit code says it worked.
        if (!s.json) s.out(`✔ Removed ${address.trim().toLowerCase()}.`);
      }),
    );
}

function details(m: Mailbox): string {
  return table(
    ['Address:', m.address],
    [
      ['Name:', m.name],
      ['Quota:', `${m.quotaMb} MB`],
      ['Status:', m.active ? 'active' : 'disabled'],
      ['Sending:', sendingSummary(m.sending)],
      ['Warm-up:', warmupSummary(m.sending)],
      ['Forwarding:', forwardingSummary(m.forwarding)],
      ['Created:', m.createdAt],
    ],
  );
}

function forwardingSummary(f: Mailbox['forwarding']): string {
  if (!f) return 'none';
  return `→ ${f.to.join(', ')}${f.keepCopy ? ', keeping a copy' : ' only (no copy kept)'}`;
}

function sendingSummary(s: Mailbox['sending']): string {
  return `${s.sentToday} of ${s.limitToday} today, ${s.sentThisHour} of ${s.hourlyLimit} this hour (daily limit ${s.dailyLimit})`;
}

/** `30/day, 10/hour, ramp 5+5/day up to 30` */
function policySummary(p: SendingPolicy): string {
  const ramp = p.warmup
    ? `ramp ${p.warmup.start}+${p.warmup.increment}/day up to ${p.warmup.max}`
    : 'no ramp';
  return `${p.dailyLimit}/day, ${p.hourlyLimit}/hour, ${ramp}`;
}

function warmupSummary(s: Mailbox['sending']): string {
  if (!s.warmup) return 'none';
  const { start, increment, max, startDate } = s.warmup;
  return `day ${s.rampDay}: ${start} + ${increment}/day up to ${max}, from ${startDate}`;
}
