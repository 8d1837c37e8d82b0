import type { Command } from 'commander';
import { MAX_APP_PASSWORDS_PER_MAILBOX } from '../core/app-password.js';
import { createAppPassword } from '../services/app-passwords/create-app-password.js';
import { listAppPasswords } from '../services/app-passwords/list-app-passwords.js';
import { revokeAppPassword } from '../services/app-passwords/revoke-app-password.js';
import { shownOncePassword, table } from './format.js';
import type { CliIo } from './io.js';
import { withSession } from './session.js';

/** `mailbox app-password add|list|revoke`: a password per mail client, revocable one by one. */
export function registerAppPasswordCommand(mailbox: Command, io: CliIo): void {
  const appPassword = mailbox
    .command('app-password')
    .description(
      `passwords for one mail client each (IMAP and SMTP), at most ${MAX_APP_PASSWORDS_PER_MAILBOX} per mailbox`,
    );

  appPassword
    .command('add')
    .description('generate an app password for <address> and show it once')
    .argument('<address>')
    .option('--label <label>', 'where it is used, e.g. "phone" (required)')
    .action((address: string, opts: { label?: string }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const created = await createAppPassword(s.ctx, await s.actor(), address, {
          label: opts.label ?? '',
        });
        if (s.json) return s.printJson(created);
        s.out(
          `✔ App password "${created.label}" for ${address.trim().toLowerCase()} (id ${created.id}).`,
        );
        s.out(shownOncePassword(created.password));
        s.out('Log in with the mailbox address as the user name and this password.');
      }),
    );

  appPassword
    .command('list')
    .description('list the app passwords of <address> (never the passwords)')
    .argument('<address>')
    .action((address: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const { items } = await listAppPasswords(s.ctx, await s.actor(), address);
        if (s.json) return s.printJson({ items });
        if (items.length === 0) {
          s.out(
            `No app passwords: add one with \`mailwright mailbox app-password add ${address.trim().toLowerCase()} --label phone\`.`,
          );
          return;
        }
        s.out(
          table(
            ['ID', 'LABEL', 'CREATED', 'LAST USED'],
            items.map((p) => [p.id, p.label, p.createdAt, p.lastUsedAt ?? 'never']),
          ),
        );
      }),
    );

  appPassword
    .command('revoke')
    .description('revoke one app password: its next login is refused')
    .argument('<address>')
    .argument('<id>', 'the id `app-password list` shows')
    .action((address: string, id: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        await revokeAppPassword(s.ctx, await s.actor(), address, id);
        if (!s.json) s.out(`✔ Revoked app password ${id} of ${address.trim().toLowerCase()}.`);
      }),
    );
}
