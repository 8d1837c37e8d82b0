import type { Command } from 'commander';
import { DEFAULT_PAGE_LIMIT } from '../core/page-limit.js';
import { createAlias } from '../services/aliases/create-alias.js';
import { deleteAlias } from '../services/aliases/delete-alias.js';
import { listAliases } from '../services/aliases/list-aliases.js';
import { numberArg } from './args.js';
import { table } from './format.js';
import type { CliIo } from './io.js';
import { withSession } from './session.js';

export function registerAliasCommands(program: Command, io: CliIo): void {
  const alias = program
    .command('alias')
    .description('aliases and catch-alls (@host): addresses that deliver to other addresses');

  alias
    .command('add')
    .description('add an alias, or a catch-all with an address like @sales.example.com')
    .argument('<address>')
    .argument('<targets...>', 'mailboxes or aliases of the account, or outside addresses')
    .action((address: string, targets: string[], _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const created = await createAlias(s.ctx, await s.actor(), { address, targets });
        if (s.json) return s.printJson(created);
        s.out(`✔ ${created.address} → ${created.targets.join(', ')}`);
      }),
    );

  alias
    .command('list')
    .description('aliases in address order, catch-alls first')
    .option('--domain <name>', 'only this root domain or sub-domain')
    .option('--q <prefix>', 'address prefix')
    .option('--cursor <cursor>', 'continue after the previous page (its next cursor)')
    .option('--limit <n>', `aliases per page (default ${DEFAULT_PAGE_LIMIT})`, numberArg)
    .action(
      (opts: { domain?: string; q?: string; cursor?: string; limit?: number }, cmd: Command) =>
        withSession(io, cmd, async (s) => {
          const page = await listAliases(s.ctx, await s.actor(), opts);
          if (s.json) return s.printJson(page);
          if (page.items.length === 0 && !opts.cursor) {
            s.out('No aliases.');
            return;
          }
          s.out(
            table(
              ['ADDRESS', 'TARGETS'],
              page.items.map((a) => [a.address, a.targets.join(', ')]),
            ),
          );
          if (page.nextCursor) s.out(`\nMore: mailwright alias list --cursor ${page.nextCursor}`);
        }),
    );

  alias
    .command('remove')
    .description('delete an alias or catch-all')
    .argument('<address>')
    .action((address: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        await deleteAlias(s.ctx, await s.actor(), address);
        if (!s.json) s.out(`✔ Removed ${address.trim().toLowerCase()}.`);
      }),
    );
}
