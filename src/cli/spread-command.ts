import type { Command } from 'commander';
import type { CredentialsFormat } from '../core/credentials-formats.js';
import { MAX_SPREAD_DOMAINS, MAX_SPREAD_PERSONAS } from '../core/spread.js';
import { createSpreadMailboxes } from '../services/bulk/create-spread-mailboxes.js';
import { previewSpreadMailboxes } from '../services/bulk/preview-spread-mailboxes.js';
import type { SpreadMailboxesInput } from '../services/bulk/support/spread-plan.js';
import { collect, numberArg, readPasswordFromStdin } from './args.js';
import {
  checkOut,
  followMailboxJob,
  hostnameRows,
  limitsTable,
  withNewMailboxesOptions,
} from './bulk-command.js';
import type { CliIo } from './io.js';
import { sendingFromOptions, type SendingOptions } from './sending-options.js';
import { withSession } from './session.js';

interface SpreadOptions extends SendingOptions {
  domain: string[];
  persona: string[];
  perDomain?: number;
  dryRun?: boolean;
  out?: string;
  format: CredentialsFormat;
  quotaMb?: number;
  passwordStdin?: boolean;
}

/** `mailbox spread`: personas on several domains as one job, carried out right here. */
export function registerSpreadCommand(mailbox: Command, io: CliIo): void {
  withNewMailboxesOptions(
    mailbox
      .command('spread')
      .description(
        'give personas a mailbox on each of several domains as one job, with generated passwords, ' +
          'and wait for it',
      )
      .option(
        '--domain <domain>',
        `a verified domain or sub-domain; repeat for each (at most ${MAX_SPREAD_DOMAINS})`,
        collect,
        [],
      )
      .option(
        '--persona <name>',
        `a person’s real name, e.g. "Josh Smith"; repeat for each (at most ${MAX_SPREAD_PERSONAS})`,
        collect,
        [],
      )
      .option(
        '--per-domain <n>',
        'mailboxes per domain (required; at most the number of personas): personas are taken ' +
          'in order, wrapping round, so each is used as evenly as possible',
        numberArg,
      )
      .option('--dry-run', 'print the exact addresses per domain and the limits; write nothing'),
  )
    .addHelpText(
      'after',
      '\nThe whole spread counts as one bulk request against max-bulk-count, the hourly limit ' +
        'and the cooldown. Passwords are never printed unless --out - is given.',
    )
    .action((opts: SpreadOptions, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        if (!opts.dryRun && opts.out !== undefined) checkOut(s, cmd, opts.out);
        const actor = await s.actor();
        const input: SpreadMailboxesInput = {
          domains: opts.domain,
          personas: opts.persona.map((name) => ({ name })),
          // A missing count reaches the service, which says what to enter.
          perDomain: opts.perDomain ?? 0,
          password: opts.passwordStdin
            ? { generate: false, value: await readPasswordFromStdin(io, cmd) }
            : { generate: true },
          ...(opts.quotaMb === undefined ? {} : { quotaMb: opts.quotaMb }),
          sending: sendingFromOptions(opts, cmd),
        };

        if (opts.dryRun) {
          const result = await previewSpreadMailboxes(s.ctx, actor, input);
          if (s.json) return s.printJson(result);
          const { addresses, domains, limits } = result.preview;
          s.out(
            `Would create ${addresses.length} mailbox${addresses.length === 1 ? '' : 'es'} on ` +
              `${domains.length} domain${domains.length === 1 ? '' : 's'}:\n`,
          );
          for (const d of domains) {
            s.out(`${d.domain}\n${d.addresses.map((a) => `  ${a}`).join('\n')}\n`);
          }
          s.out(limitsTable(limits, domains.flatMap(hostnameRows)));
          s.out('Dry run: nothing was written.');
          return;
        }

        const { job } = await createSpreadMailboxes(s.ctx, actor, input);
        await followMailboxJob(s, io, cmd, actor, job, opts);
      }),
    );
}
