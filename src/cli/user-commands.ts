import { Option, type Command } from 'commander';
import { generatePassword } from '../core/password.js';
import { createUser } from '../services/accounts/create-user.js';
import { listUsers } from '../services/accounts/list-users.js';
import { removeUser } from '../services/accounts/remove-user.js';
import { resetTotp } from '../services/auth/reset-totp.js';
import { readPasswordFromStdin, usageError } from './args.js';
import { shownOncePassword, table } from './format.js';
import type { CliIo } from './io.js';
import { withSession } from './session.js';

interface CreateOptions {
  email?: string;
  passwordStdin?: boolean;
  generate?: boolean;
}

/** `user create|list|remove|totp-reset`: operators who sign in to the web console as an account. */
export function registerUserCommands(program: Command, io: CliIo): void {
  const user = program.command('user').description('people who sign in to the web console');
  user
    .command('create')
    .description(
      'create a user of --account; on a terminal the password is asked for twice, unless --password-stdin or --generate is given',
    )
    // Not a "required" option: a missing one reaches the service, which says what to enter.
    .option('--email <email>', 'the address they sign in with, e.g. jane@example.com (required)')
    .addOption(
      new Option('--password-stdin', 'read the password from the first line of standard input'),
    )
    .addOption(
      new Option('--generate', 'generate a random password and show it once').conflicts(
        'passwordStdin',
      ),
    )
    .action((opts: CreateOptions, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const actor = await s.actor();
        const generated = opts.generate ? generatePassword() : undefined;
        const password = generated ?? (await choosePassword(io, cmd, opts));
        const created = await createUser(s.ctx, {
          accountId: actor.accountId,
          email: opts.email ?? '',
          password,
          actor: s.actorName,
        });
        if (s.json) {
          return s.printJson({
            user: created,
            ...(generated === undefined ? {} : { password: generated }),
          });
        }
        s.out(
          `✔ Created user ${created.email} of account ${s.accountName.trim().toLowerCase()}: they sign in to the web console with this email.`,
        );
        if (generated !== undefined) s.out(shownOncePassword(generated));
      }),
    );

  user
    .command('list')
    .description('the users of --account')
    .action((_opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const users = await listUsers(s.ctx, await s.actor());
        if (s.json) return s.printJson({ items: users });
        if (users.length === 0) {
          s.out('No users yet: add one with `mailwright user create --email EMAIL`.');
          return;
        }
        s.out(
          table(
            ['EMAIL', 'CREATED'],
            users.map((u) => [u.email, u.createdAt]),
          ),
        );
      }),
    );

  user
    .command('remove')
    .description('delete a user of --account; their open console sessions end at once')
    .argument('<email>')
    .action((email: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        await removeUser(s.ctx, await s.actor(), email);
        if (!s.json) s.out(`✔ Removed user ${email.trim().toLowerCase()}; their sessions ended.`);
      }),
    );

  user
    .command('totp-reset')
    .description(
      'for a user of --account who lost their authenticator and recovery codes: turns their two-factor sign-in off and ends their sessions',
    )
    .option('--email <email>', 'the user, e.g. jane@example.com (required)')
    .action((opts: { email?: string }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        if (opts.email === undefined) usageError(cmd, 'give --email EMAIL of the user to reset.');
        await resetTotp(s.ctx, await s.actor(), opts.email);
        if (!s.json) {
          s.out(
            `✔ Two-factor sign-in of ${opts.email.trim().toLowerCase()} is off and their sessions ended: they sign in with their password and set up a new device from the console.`,
          );
        }
      }),
    );
}

/** The password from a pipe, or typed twice on a terminal so a typo cannot lock anyone out. */
async function choosePassword(io: CliIo, cmd: Command, opts: CreateOptions): Promise<string> {
  if (opts.passwordStdin) return readPasswordFromStdin(io, cmd);
  if (!io.stdinIsTTY) {
    usageError(
      cmd,
      'no terminal to ask for the password on: give --password-stdin (the password on standard input) or --generate.',
    );
  }
  const first = await io.promptSecret('Password: ');
  const again = await io.promptSecret('Repeat the password: ');
  if (first !== again) usageError(cmd, 'the two passwords differ; run the command again.');
  return first;
}
