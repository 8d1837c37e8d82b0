import { Argument, InvalidArgumentError, type Command } from 'commander';
import {
  DEFAULT_LIMITS,
  kebab,
  LIMIT_NAMES,
  LIMIT_RANGES,
  type LimitName,
  type Limits,
} from '../core/limits.js';
import { MAX_TOKEN_DOMAINS, SCOPES } from '../core/token-scopes.js';
import { getLimits } from '../services/accounts/get-limits.js';
import { setAccountLimits } from '../services/accounts/set-account-limits.js';
import { setTotpRequirement } from '../services/accounts/set-totp-requirement.js';
import { createAccount } from '../services/accounts/create-account.js';
import { createApiToken } from '../services/auth/create-api-token.js';
import { actorForAccount } from '../services/accounts/actor-for-account.js';
import { collect } from './args.js';
import { SHOWN_ONCE, table } from './format.js';
import type { CliIo } from './io.js';
import { withSession, type Session } from './session.js';

/**
 * `account create`, `account limits` and `token create`: operator commands with no REST
 * equivalent.
 */
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

  account
    .command('require-2fa')
    .description(
      'on: every user of the account must sign in with an authenticator app (TOTP); one without it can only set it up in the console',
    )
    .argument('<name>', 'the account, e.g. acme')
    .addArgument(new Argument('<state>', 'on or off').choices(['on', 'off']))
    .action((name: string, state: 'on' | 'off', _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        await setTotpRequirement(s.ctx, {
          account: name,
          required: state === 'on',
          actor: s.actorName,
        });
        if (!s.json) {
          s.out(
            state === 'on'
              ? `✔ Users of ${name.trim().toLowerCase()} must now sign in with TOTP; those without it can only set it up until they do.`
              : `✔ Users of ${name.trim().toLowerCase()} may now sign in without TOTP.`,
          );
        }
      }),
    );

  const limits = account
    .command('limits')
    .description(
      'show an account’s platform limits, or change them: one flag per limit, `default` puts it back',
    )
    .argument('<name>', 'the account, e.g. acme');
  for (const limit of LIMIT_NAMES) {
    const [min, max] = LIMIT_RANGES[limit];
    limits.option(
      `--${kebab(limit)} <n>`,
      `${min}–${max}, or default (${DEFAULT_LIMITS[limit]})`,
      limitArg,
    );
  }
  limits.action(
    (name: string, opts: Partial<Record<LimitName, number | 'default'>>, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const changes = Object.fromEntries(
          LIMIT_NAMES.filter((l) => opts[l] !== undefined).map((l) => [
            l,
            opts[l] === 'default' ? null : opts[l],
          ]),
        ) as Partial<Record<LimitName, number | null>>;
        const result =
          Object.keys(changes).length === 0
            ? (await getLimits(s.ctx, await actorForAccount(s.ctx, name, s.actorName))).limits
            : await setAccountLimits(s.ctx, { account: name, changes, actor: s.actorName });
        if (s.json) return s.printJson(result);
        if (Object.keys(changes).length > 0) {
          s.out(
            `✔ Updated the limits of ${name.trim().toLowerCase()}; a running server applies them at once.\n`,
          );
        }
        s.out(limitsTable(result));
      }),
  );

  const token = program.command('token').description('API tokens for the REST API');
  token
    .command('create')
    .description('create a new API token for --account')
    .option('--label <label>', 'what the token is for, e.g. "billing sync"')
    .option(
      '--scope <scope>',
      `what it may do, repeatable: ${SCOPES.join(', ')} (default admin: everything)`,
      collect,
    )
    .option(
      '--domain <domain>',
      `limit it to this root domain and its sub-domains, repeatable (up to ${MAX_TOKEN_DOMAINS}); default every domain`,
      collect,
    )
    .action((opts: { label?: string; scope?: string[]; domain?: string[] }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        await s.actor(); // the friendly "No account …: create it with …" for an unknown --account
        const created = await createApiToken(s.ctx, {
          account: s.accountName,
          ...(opts.label === undefined ? {} : { label: opts.label }),
          ...(opts.scope === undefined ? {} : { scopes: opts.scope }),
          ...(opts.domain === undefined ? {} : { domains: opts.domain }),
          actor: s.actorName,
        });
        if (s.json) {
          s.printJson(created);
          return;
        }
        s.out(
          `Scopes: ${created.scopes.join(', ')}; domains: ${created.domains?.join(', ') ?? 'all'}.`,
        );
        printToken(s, created.token, s.accountName.trim().toLowerCase());
      }),
    );
}

/**
 * `--max-bulk-count 50`, or `default` for the platform default (null to the service; commander
 * turns a parser's null into '', so the word is kept until then).
 */
function limitArg(value: string): number | 'default' {
  const text = value.trim();
  if (text.toLowerCase() === 'default') return 'default';
  const number = text === '' ? NaN : Number(text);
  if (!Number.isInteger(number)) {
    throw new InvalidArgumentError('Enter a whole number, or default for the platform default.');
  }
  return number;
}

function limitsTable(limits: Limits): string {
  return table(
    ['LIMIT', 'VALUE', 'DEFAULT'],
    LIMIT_NAMES.map((l) => [kebab(l), String(limits[l]), String(DEFAULT_LIMITS[l])]),
  );
}

function printToken(s: Session, token: string, account: string): void {
  s.out(
    `API token for ${account} (${SHOWN_ONCE}):\n\n  ${token}\n\n` +
      `Send it as "Authorization: Bearer <token>". A lost token is replaced, never recovered: \`mailwright token create --account ${account}\`.`,
  );
}
