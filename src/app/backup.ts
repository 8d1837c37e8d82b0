import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { conflict } from '../core/errors.js';
import type { Dialect } from '../store/dialect.js';
import { parseDatabaseUrl } from '../mailstack/settings.js';
import type { Config } from './config.js';
import { mailPlaneSettingsFor } from './mail-plane.js';

const run = promisify(execFile);

/**
 * `mailwright backup DIR` / `restore DIR` (docs/deployment.md, "Backups"): what a restore needs
 * to bring back a working mail host, in one directory only root can read. The database is
 * copied online and consistent (SQLite's backup API; `pg_dump`), the directories as tar
 * archives that keep owners and modes, and a manifest lists each file with its SHA-256.
 */

export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'mailwright-backup/1';
/** Backups hold the server key and every DKIM private key: the owner's alone. */
export const BACKUP_DIR_MODE = 0o700;
export const BACKUP_FILE_MODE = 0o600;

export type BackupPart = 'database' | 'secret-key' | 'dkim-keys' | 'mail';

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  createdAt: string;
  dialect: Dialect;
  /** Where the server key lives: in the backup (`file`), or in MAILWRIGHT_SECRET_KEY. */
  secretKey: 'file' | 'environment';
  files: { part: BackupPart; name: string; bytes: number; sha256: string }[];
}

const FILE_NAMES: Record<BackupPart, (dialect: Dialect) => string> = {
  database: (dialect) => (dialect === 'sqlite' ? 'mailwright.db' : 'mailwright.dump'),
  'secret-key': () => 'secret.key',
  'dkim-keys': () => 'dkim-keys.tar',
  mail: () => 'mail.tar.gz',
};

export const backupFileName = (part: BackupPart, dialect: Dialect): string =>
  FILE_NAMES[part](dialect);

/** The paths of this host that a backup reads and a restore writes. */
export function backupSources(config: Config) {
  const database = parseDatabaseUrl(config.databaseUrl);
  const plane = mailPlaneSettingsFor(config, {});
  return {
    database,
    secretKeyFile: join(config.dataDir, 'secret.key'),
    dkimKeysDir: plane.dirs.dkimKeys,
    mailDir: plane.dirs.mail,
  };
}

/**
 * Copies the database, the server key (unless it comes from MAILWRIGHT_SECRET_KEY), the DKIM
 * keys and, with `withMail`, the maildirs into `dir`, which must be new or empty.
 */
export async function backup(
  config: Config,
  dir: string,
  opts: { withMail: boolean; clock?: () => Date },
): Promise<BackupManifest> {
  const sources = backupSources(config);
  const dialect = sources.database.dialect;
  await prepareBackupDir(dir);
  const files: BackupManifest['files'] = [];
  const add = async (part: BackupPart, write: (path: string) => Promise<void>) => {
    const name = backupFileName(part, dialect);
    const path = join(dir, name);
    await write(path);
    await chmod(path, BACKUP_FILE_MODE);
    files.push({ part, name, bytes: (await stat(path)).size, sha256: await sha256Of(path) });
  };

  await add('database', (path) =>
    sources.database.dialect === 'sqlite'
      ? copySqlite(sources.database.path, path)
      : pgDump(config.databaseUrl, sources.database.params.schema, path),
  );
  if (!config.secretKey) {
    if (!(await exists(sources.secretKeyFile))) {
      throw conflict(
        'no_secret_key',
        `There is no server key at ${sources.secretKeyFile} to back up: run any mailwright command once to create it, or set MAILWRIGHT_SECRET_KEY.`,
      );
    }
    await add('secret-key', (path) => copyFile(sources.secretKeyFile, path));
  }
  if (await exists(sources.dkimKeysDir)) {
    await add('dkim-keys', (path) => tarCreate(sources.dkimKeysDir, path, false));
  }
  if (opts.withMail && (await exists(sources.mailDir))) {
    await add('mail', (path) => tarCreate(sources.mailDir, path, true));
  }
  const manifest: BackupManifest = {
    format: BACKUP_FORMAT,
    createdAt: (opts.clock ?? (() => new Date()))().toISOString(),
    dialect,
    secretKey: config.secretKey ? 'environment' : 'file',
    files,
  };
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`, {
    mode: BACKUP_FILE_MODE,
  });
  return manifest;
}

async function prepareBackupDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: BACKUP_DIR_MODE });
  if ((await readdir(dir)).length > 0) {
    throw conflict(
      'backup_dir_not_empty',
      `${dir} is not empty: give a new or empty directory for each backup (e.g. /var/backups/mailwright/$(date -I)).`,
    );
  }
  await chmod(dir, BACKUP_DIR_MODE);
}

/** SQLite's online backup: a consistent copy while the API and the mail servers keep writing. */
async function copySqlite(source: string, target: string): Promise<void> {
  const db = new SQLite(source, { fileMustExist: true });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
}

async function pgDump(url: string, schema: string | undefined, target: string): Promise<void> {
  const { url: bare, env } = libpqConnection(url);
  await run(
    'pg_dump',
    [
      '--format=custom',
      '--no-owner',
      '--no-privileges',
      // Only Mailwright's schema, when it has one of its own: the database may hold others.
      ...(schema ? [`--schema=${schema}`] : []),
      `--file=${target}`,
      `--dbname=${bare}`,
    ],
    { env },
  );
}

/**
 * The URL for libpq's tools without its password, which goes through PGPASSWORD instead: a
 * command line is visible to every user of the host.
 */
export function libpqConnection(url: string): { url: string; env: NodeJS.ProcessEnv } {
  const u = new URL(url);
  const password = decodeURIComponent(u.password);
  u.password = '';
  return {
    url: u.toString(),
    env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) },
  };
}

/** The directory's content, owners and modes kept (`tar` as root records them by name). */
async function tarCreate(dir: string, target: string, gzip: boolean): Promise<void> {
  await run('tar', ['--create', ...(gzip ? ['--gzip'] : []), '--file', target, '-C', dir, '.']);
}

export async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export async function readManifest(dir: string): Promise<BackupManifest> {
  const text = await readFile(join(dir, MANIFEST_FILE), 'utf8').catch(() => null);
  const manifest = text === null ? null : (JSON.parse(text) as Partial<BackupManifest>);
  if (manifest?.format !== BACKUP_FORMAT) {
    throw conflict(
      'not_a_backup',
      `${dir} holds no ${MANIFEST_FILE} of a Mailwright backup: give the directory \`mailwright backup\` wrote.`,
    );
  }
  return manifest as BackupManifest;
}

export async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
