import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { AppError } from '../core/errors.js';
import { loadConfig, type Config } from '../app/config.js';
import { registerAccountCommands } from './account-commands.js';
import { registerAliasCommands } from './alias-commands.js';
import { registerBackupCommands } from './backup-commands.js';
import { registerCertCommands } from './cert-commands.js';
import { registerDoctorCommand } from './doctor-command.js';
import { registerDomainCommands } from './domain-commands.js';
import { appErrorProblem, problem as problemJson } from '../core/problem-details.js';
import { EXIT, ExitCode, exitCodeOf, messageOf } from './errors.js';
import { registerEventCommands } from './event-commands.js';
import type { CliIo } from './io.js';
import { registerJobCommands } from './job-commands.js';
import { registerMailboxCommands } from './mailbox-commands.js';
import { registerMailstackCommands } from './mailstack-commands.js';
import { registerUserCommands } from './user-commands.js';
import { registerWebhookCommands } from './webhook-commands.js';

/**
 * The `mailwright` command tree: a thin adapter that turns arguments into service calls and
 * their results into text or the REST API's JSON. Rules and messages live in the services.
 * Run it through `runCli`, which turns errors into messages and exit codes.
 */
export function buildProgram(io: CliIo, config: Config = loadConfig(io.env)): Command {
  const program = new Command('mailwright')
    .description(
      'Provision domains, sub-domains and mailboxes on this machine’s Mailwright database.',
    )
    .version(packageVersion(), '-V, --version')
    .option('--account <name>', 'act as this account (env MAILWRIGHT_ACCOUNT)', config.cli.account)
    .option('--json', 'print the JSON the REST API returns (errors as RFC 9457 problem objects)')
    .addHelpText(
      'after',
      '\nDatabase: MAILWRIGHT_DATABASE_URL (default sqlite:./data/mailwright.db). ' +
        'Exit codes: 0 ok, 1 failure, 2 invalid input, 3 conflict, 4 not found.',
    )
    // Errors come back to runCli as exceptions, which prints them once, as text or JSON.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: () => {},
    });

  registerAccountCommands(program, io);
  registerDomainCommands(program, io);
  registerMailboxCommands(program, io);
  registerAliasCommands(program, io);
  registerJobCommands(program, io);
  registerEventCommands(program, io);
  registerWebhookCommands(program, io);
  registerMailstackCommands(program, io);
  registerUserCommands(program, io);
  registerBackupCommands(program, io);
  registerDoctorCommand(program, io);
  registerCertCommands(program, io);

  program
    .command('serve')
    .description('start the REST API server (MAILWRIGHT_LISTEN, default 127.0.0.1:8025)')
    .action(async () => {
      // Loaded on demand: the HTTP stack is not needed by any other command.
      const { serve } = await import('../app/serve.js');
      await serve(config);
    });
  return program;
}

/** Runs one command line (without `node` and the script) and returns the exit code. */
export async function runCli(io: CliIo, argv: string[]): Promise<number> {
  let config: Config;
  try {
    config = loadConfig(io.env);
  } catch (error) {
    // A bad variable stops every command, as it stops the server, before anything runs.
    return report(io, error, argv.includes('--json'), false);
  }
  const program = buildProgram(io, config);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    return report(
      io,
      error,
      (program.opts() as { json?: boolean }).json === true,
      config.cli.debug,
    );
  }
}

function report(io: CliIo, error: unknown, json: boolean, debug: boolean): number {
  const print = (value: unknown) => io.stdout(`${JSON.stringify(value, null, 2)}\n`);
  if (error instanceof ExitCode) return error.code;
  if (error instanceof CommanderError) {
    // Help and version were already printed; `(outputHelp)` marks help shown for a missing command.
    if (error.exitCode === 0) return EXIT.ok;
    if (error.code === 'commander.help') return EXIT.usage;
    const message = error.message.replace(/^error: /, '');
    if (json) print(problemJson(400, 'invalid_usage', message));
    else io.stderr(`error: ${message}\n(see mailwright --help)\n`);
    return EXIT.usage;
  }
  if (error instanceof AppError) {
    if (json) print(appErrorProblem(error));
    else {
      io.stderr(`error: ${error.message}\n`);
      for (const issue of error.issues)
        io.stderr(`  ${issue.field}: ${issue.message} (${issue.code})\n`);
    }
    return exitCodeOf(error);
  }
  const message = messageOf(error);
  if (json) print(problemJson(500, 'internal_error', message));
  else io.stderr(`error: ${message}\n`);
  if (debug && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
  return EXIT.failure;
}

function packageVersion(): string {
  try {
    // src/cli/ and dist/cli/ both sit two levels below package.json.
    const pkg = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version?: string };
    return pkg.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
