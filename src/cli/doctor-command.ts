import type { Command } from 'commander';
import { loadConfig } from '../app/config.js';
import { doctor } from '../app/doctor.js';
import { EXIT, ExitCode } from './errors.js';
import { isJson } from './session.js';
import type { CliIo } from './io.js';
import { stackSettings, withStackOptions, type StackOptions } from './mailstack-commands.js';

/**
 * `mailwright doctor`: an operator command of the host (no REST route: it inspects the host's
 * processes, files and ports as root). Exits 1 when any check fails, for monitoring.
 */
export function registerDoctorCommand(program: Command, io: CliIo): void {
  withStackOptions(
    program
      .command('doctor')
      .description(
        'check the database, the job runner, the mail servers, the DKIM keys and the certificates, each with its fix (as root; the mail plane’s addresses and ports come from the env file, MAILWRIGHT_MAIL_LISTEN and the port variables such as MAILWRIGHT_MAIL_SMTP_PORT, as for the units; the options below override them)',
      ),
  ).action(async (opts: StackOptions, cmd: Command) => {
    const report = await doctor(loadConfig(io.env), stackSettings(io, opts));
    if (isJson(cmd)) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    else {
      for (const c of report.checks) {
        io.stdout(`${c.ok ? '✔' : '✘'} ${c.name.padEnd(20)} ${c.detail}\n`);
        if (c.fix) io.stdout(`  ${' '.repeat(20)} fix: ${c.fix}\n`);
      }
    }
    if (!report.ok) throw new ExitCode(EXIT.failure);
  });
}
