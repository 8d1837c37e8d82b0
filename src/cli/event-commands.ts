import type { Command } from 'commander';
import { DEFAULT_PAGE_LIMIT } from '../core/page-limit.js';
import { listEvents } from '../services/accounts/list-events.js';
import { numberArg } from './args.js';
import { table } from './format.js';
import type { CliIo } from './io.js';
import { withSession } from './session.js';

export function registerEventCommands(program: Command, io: CliIo): void {
  program
    .command('events')
    .description('the account’s audit log, newest first')
    .option('--cursor <cursor>', 'continue after the previous page (its next cursor)')
    .option('--limit <n>', `events per page (default ${DEFAULT_PAGE_LIMIT})`, numberArg)
    .action((opts: { cursor?: string; limit?: number }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const page = await listEvents(s.ctx, await s.actor(), opts);
        if (s.json) return s.printJson(page);
        if (page.items.length === 0 && !opts.cursor) {
          s.out('No events yet.');
          return;
        }
        s.out(
          table(
            ['TIME', 'ACTOR', 'ACTION', 'TARGET', 'DETAILS'],
            page.items.map((e) => [
              e.createdAt,
              e.actor,
              e.action,
              e.target,
              Object.keys(e.details).length > 0 ? JSON.stringify(e.details) : '',
            ]),
          ),
        );
        if (page.nextCursor) s.out(`\nMore: mailwright events --cursor ${page.nextCursor}`);
      }),
    );
}
