import { execFile } from 'node:child_process';
import {
  chmod,
  chown,
  copyFile,
  mkdir,
  readdir,
  readFile,
  rename,
  rm,
  stat,
} from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { parseSecretKey } from '../core/credentials-cipher.js';
import { conflict } from '../core/errors.js';
import {
  backupSources,
  exists,
  libpqConnection,
  readManifest,
  sha256Of,
  type BackupManifest,
  type BackupPart,
} from './backup.js';
import type { Config } from './config.js';

const run = promisify(execFile);

/**
 * Puts a backup of `mailwright backup` back on this host: the database, the server key, the DKIM
 * keys and the maildirs it holds. Refuses a host that already has any of them unless `force`
 * (then they are replaced). Run with the API and the mail plane stopped; `mailstack up` then
 * shares the database with the mail servers again and rewrites their configuration.
 */
export async function restore(
  config: Config,
  dir: string,
  opts: { force: boolean },
): Promise<BackupManifest> {
  const manifest = await readManifest(dir);
  const sources = backupSources(config);
  if (manifest.dialect !== sources.database.dialect) {
    throw conflict(
      'backup_dialect_mismatch',
      `The backup is of a ${manifest.dialect} database but MAILWRIGHT_DATABASE_URL names ${sources.database.dialect}: restore it into a ${manifest.dialect} database.`,
    );
  }
  const file = (part: BackupPart) => manifest.files.find((f) => f.part === part);
  for (const f of manifest.files) {
    if ((await sha256Of(join(dir, f.name)).catch(() => null)) !== f.sha256) {
      throw conflict(
        'backup_damaged',
        `${join(dir, f.name)} is missing or differs from the manifest: restore from another backup.`,
      );
    }
  }
  const key = file('secret-key');
  if (key && config.secretKey) {
    const saved = parseSecretKey(await readFile(join(dir, key.name), 'utf8'));
    if (!saved.equals(config.secretKey)) {
      throw conflict(
        'secret_key_mismatch',
        'MAILWRIGHT_SECRET_KEY is not the key of the backup, which the DKIM keys in it are sealed with: set it to the backup’s secret.key or unset it.',
      );
    }
  }

  if (!opts.force) {
    const present = [
      ...((await databaseHasTables(config)) ? ['the database has tables'] : []),
      ...(key && !config.secretKey && (await exists(sources.secretKeyFile))
        ? [`${sources.secretKeyFile} exists`]
        : []),
      ...(file('dkim-keys') && (await nonEmpty(sources.dkimKeysDir))
        ? [`${sources.dkimKeysDir} is not empty`]
        : []),
      ...(file('mail') && (await nonEmpty(sources.mailDir))
        ? [`${sources.mailDir} is not empty`]
        : []),
    ];
    if (present.length > 0) {
      throw conflict(
        'restore_target_not_empty',
        `This host has data a restore would replace (${present.join('; ')}): restore onto a fresh host, or add --force to replace it.`,
        { present },
      );
    }
  }

  const owner = await stat(config.dataDir).catch(() => null);
  const database = file('database')!;
  if (sources.database.dialect === 'sqlite') {
    await restoreSqlite(join(dir, database.name), sources.database.path, owner);
  } else {
    await pgRestore(config.databaseUrl, join(dir, database.name));
  }
  if (key && !config.secretKey) {
    await mkdir(config.dataDir, { recursive: true });
    await copyFile(join(dir, key.name), sources.secretKeyFile);
    await chmod(sources.secretKeyFile, 0o600);
    if (owner) await chownIfRoot(sources.secretKeyFile, owner.uid, owner.gid);
  }
  const dkim = file('dkim-keys');
  if (dkim) await tarExtract(join(dir, dkim.name), sources.dkimKeysDir, opts.force);
  const mail = file('mail');
  if (mail) await tarExtract(join(dir, mail.name), sources.mailDir, opts.force);
  return manifest;
}

async function databaseHasTables(config: Config): Promise<boolean> {
  const target = backupSources(config).database;
  if (target.dialect === 'sqlite') {
    if (!(await exists(target.path))) return false;
    const db = new SQLite(target.path, { readonly: true, fileMustExist: true });
    try {
      const row = db.prepare("select count(*) as n from sqlite_master where type = 'table'").get();
      return (row as { n: number }).n > 0;
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from information_schema.tables
        where table_schema = coalesce(current_schema(), $1)`,
      [target.params.schema ?? 'public'],
    );
    return Number(rows[0]!.n) > 0;
  } finally {
    await client.end();
  }
}

/**
 * The copy replaces the database in one rename, and the old `-wal`/`-shm` go first: SQLite
 * would otherwise replay a stale write-ahead log onto the restored file. The file gets the
 * directory's owner and group (0660 in a directory shared with the mail servers, else 0600).
 */
async function restoreSqlite(
  source: string,
  target: string,
  owner: { uid: number; gid: number } | null,
): Promise<void> {
  const dir = dirname(target);
  if (!(await exists(dir))) {
    await mkdir(dir, { recursive: true, mode: 0o700 });
    if (owner) await chownIfRoot(dir, owner.uid, owner.gid);
  }
  const draft = `${target}.restoring`;
  await copyFile(source, draft);
  for (const suffix of ['-wal', '-shm']) await rm(`${target}${suffix}`, { force: true });
  const dirInfo = await stat(dir);
  await chownIfRoot(draft, dirInfo.uid, dirInfo.gid);
  await chmod(draft, dirInfo.mode & 0o2000 ? 0o660 : 0o600);
  await rename(draft, target);
}

async function pgRestore(url: string, dump: string): Promise<void> {
  const { url: bare, env } = libpqConnection(url);
  await run(
    'pg_restore',
    [
      // Drops what a forced restore replaces; on an empty database there is nothing to drop.
      '--clean',
      '--if-exists',
      '--no-owner',
      '--no-privileges',
      '--single-transaction',
      '--exit-on-error',
      `--dbname=${bare}`,
      dump,
    ],
    { env },
  );
}

/** As root, tar gives each file its owner by name, as on the host the backup was taken on. */
async function tarExtract(archive: string, dir: string, replace: boolean): Promise<void> {
  if (replace) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await run('tar', [
    '--extract',
    '--same-owner',
    '--preserve-permissions',
    '--file',
    archive,
    '-C',
    dir,
  ]);
}

async function nonEmpty(dir: string): Promise<boolean> {
  return (await readdir(dir).catch(() => [])).length > 0;
}

async function chownIfRoot(path: string, uid: number, gid: number): Promise<void> {
  if (process.getuid?.() === 0) await chown(path, uid, gid);
}
