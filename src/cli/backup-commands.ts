import { resolve } from 'node:path';
import type { Command } from 'commander';
import { backup, type BackupManifest } from '../app/backup.js';
import { loadConfig } from '../app/config.js';
import { restore } from '../app/restore.js';
import { isJson } from './session.js';
import type { CliIo } from './io.js';

/**
 * `mailwright backup DIR` and `mailwright restore DIR`: operator commands of the host (no REST
 * route: they read and write the host's files as root). Neither opens the database through the
 * services, which would migrate it and create a server key before the restored one arrives.
 */
export function registerBackupCommands(program: Command, io: CliIo): void {
  const print = (cmd: Command, verb: string, dir: string, manifest: BackupManifest) => {
    if (isJson(cmd)) {
      io.stdout(`${JSON.stringify(manifest, null, 2)}\n`);
      return;
    }
    for (const f of manifest.files)
      io.stdout(`✔ ${f.part.padEnd(10)} ${f.name} (${f.bytes} bytes)\n`);
    if (manifest.secretKey === 'environment') {
      io.stdout('  the server key is MAILWRIGHT_SECRET_KEY: keep the env file safe, apart\n');
    }
    io.stdout(`${verb} ${dir}\n`);
  };

  program
    .command('backup')
    .description(
      'copy the database (online), the server key and the DKIM keys into DIR, new or empty, only root can read (as root)',
    )
    .argument('<dir>', 'where to write the backup, e.g. /var/backups/mailwright/2025-01-31')
    .option('--with-mail', 'include the maildirs (a tar of every mailbox)')
    .action(async (dir: string, opts: { withMail?: boolean }, cmd: Command) => {
      const target = resolve(dir);
      const manifest = await backup(loadConfig(io.env), target, {
        withMail: opts.withMail === true,
      });
      print(cmd, 'backed up to', target, manifest);
    });

  program
    .command('restore')
    .description(
      'put a backup back onto this host, with the API and the mail plane stopped (as root); then `mailstack up`',
    )
    .argument('<dir>', 'a directory `mailwright backup` wrote')
    .option('--force', 'replace the database, key, DKIM keys and maildirs this host already has')
    .action(async (dir: string, opts: { force?: boolean }, cmd: Command) => {
      const source = resolve(dir);
      const manifest = await restore(loadConfig(io.env), source, { force: opts.force === true });
      print(cmd, 'restored from', source, manifest);
    });
}
