import type { Command } from 'commander';
import { loadConfig } from '../app/config.js';
import type { Actor, ServiceContext } from '../services/context.js';
import { actorForAccount } from '../services/accounts/actor-for-account.js';
import { openContext } from '../app/open-context.js';
import type { CliIo } from './io.js';

/** What a command's action gets: the services, its output switches and the acting account. */
export interface Session {
  ctx: ServiceContext;
  io: CliIo;
  json: boolean;
  /** `cli:<os user>`: who did it, for the audit log. */
  actorName: string;
  /** The `--account` name as typed. */
  accountName: string;
  /** Resolves `--account` to the account every read and write is scoped to. */
  actor(): Promise<Actor>;
  out(text: string): void;
  /** Prints `value` as the REST API would return it. */
  printJson(value: unknown): void;
}

export interface GlobalOptions {
  account: string;
  json?: boolean;
}

export const isJson = (cmd: Command): boolean =>
  (cmd.optsWithGlobals() as GlobalOptions).json === true;

/**
 * Opens the configured database, brings its schema up to date, runs `fn` and closes the
 * database again, whatever happens: each CLI command is one short connection, no server needed.
 */
export async function withSession(
  io: CliIo,
  cmd: Command,
  fn: (session: Session) => Promise<void>,
): Promise<void> {
  const globals = cmd.optsWithGlobals() as GlobalOptions;
  const { ctx, close } = await openContext(loadConfig(io.env));
  try {
    const actorName = `cli:${io.username()}`;
    let actor: Actor | undefined;
    await fn({
      ctx,
      io,
      json: globals.json === true,
      actorName,
      accountName: globals.account,
      async actor() {
        actor ??= await actorForAccount(ctx, globals.account, actorName);
        return actor;
      },
      out: (text) => io.stdout(text.endsWith('\n') ? text : `${text}\n`),
      printJson: (value) => io.stdout(`${JSON.stringify(value, null, 2)}\n`),
    });
  } finally {
    await close();
  }
}
