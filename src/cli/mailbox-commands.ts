import { Option, type Command } from 'commander';
import { DEFAULT_PAGE_LIMIT } from '../core/page-limit.js';
import { DEFAULT_QUOTA_MB } from '../core/quota.js';
import { createMailbox } from '../services/mailboxes/create-mailbox.js';
import { deleteMailbox } from '../services/mailboxes/delete-mailbox.js';
import { getMailbox } from '../services/mailboxes/get-mailbox.js';
import { listMailboxes } from '../services/mailboxes/list-mailboxes.js';
import type { Mailbox } from '../services/mailboxes/support/mailbox-view.js';
import type { PasswordChoice } from '../services/mailboxes/support/password-choice.js';
import { updateMailbox, type UpdateMailboxInput } from '../services/mailboxes/update-mailbox.js';
import { numberArg, readPasswordFromStdin } from './args.js';
import { registerBulkCommand } from './bulk-command.js';
import { shownOncePassword, table } from './format.js';
import type { CliIo } from './io.js';
import { withSession } from './session.js';

interface AddOptions {
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
    .option('--quota-mb <mb>', `mailbox size in MB (default ${DEFAULT_QUOTA_MB})`, numberArg)
    .action((opts: AddOptions, cmd: Command) =>
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
        });
        if (s.json) return s.printJson(result);
        s.out(
          `✔ Created ${result.mailbox.address} for ${result.mailbox.name} (${result.mailbox.quotaMb} MB).`,
        );
        if (result.password !== undefined) s.out(shownOncePassword(result.password));
      }),
    );

  registerBulkCommand(mailbox, io);

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
              ['ADDRESS', 'NAME', 'QUOTA', 'STATUS'],
              page.items.map((m) => [
                m.address,
                m.name,
                `${m.quotaMb} MB`,
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
      ['Created:', m.createdAt],
    ],
  );
}
