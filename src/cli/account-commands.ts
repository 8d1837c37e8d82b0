import type { Command } from 'commander';
import { createAccount } from '../services/create-account.js';
import { createApiToken } from '../services/create-api-token.js';
import { SHOWN_ONCE } from './format.js';
import type { CliIo } from './io.js';
import { withSession, type Session } from './session.js';

/** `account create` and `token create`: operator commands with no REST equivalent. */
export function registerAccountCommands(program: Command, io: CliIo): void {
  const account = program.command('account').description('accounts (tenants) on this installation');
  account
    .command('create')
    .description('create an account and its first API token')
    .argument('<name>', 'lowercase letters, digits and inner hyphens, e.g. acme')
    .action((name: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const created = await createAccount(s.ctx, { name, actor: s.actorName });
        const token = await createApiToken(s.ctx, {
          account: created.name,
          label: 'first token',
          actor: s.actorName,
        });
        if (s.json) {
          s.printJson({
            account: { id: created.id, name: created.name, createdAt: created.created_at },
            token,
          });
          return;
        }
        s.out(`✔ Created account ${created.name}.`);
        printToken(s, token.token, created.name);
      }),
    );

  const token = program.command('token').description('API tokens for the REST API');
  token
    .command('create')
    .description('create a new API token for --account')
    .option('--label <label>', 'what the token is for, e.g. "billing sync"')
    .action((opts: { label?: string }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        await s.actor(); // the friendly "No account …: create it with …" for an unknown --account
        const created = await createApiToken(s.ctx, {
          account: s.accountName,
          ...(opts.label === undefined ? {} : { label: opts.label }),
          actor: s.actorName,
        });
        if (s.json) {
          s.printJson(created);
          return;
        }
        printToken(s, created.token, s.accountName.trim().toLowerCase());
      }),
    );
}

function printToken(s: Session, token: string, account: string): void {
  s.out(
    `API token for ${account} (${SHOWN_ONCE}):\n\n  ${token}\n\n` +
      `Send it as "Authorization: Bearer <token>". A lost token is replaced, never recovered: \`mailwright token create --account ${account}\`.`,
  );
}
