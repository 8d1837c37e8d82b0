import { isAbsolute, join, resolve } from 'node:path';
import { isRelayHost } from '../core/relay-host.js';

/** How Postfix and Dovecot reach Mailwright's database. */
export interface SqliteDatabase {
  /** Absolute path of the SQLite file (WAL mode: its `-wal` and `-shm` sit beside it). */
  path: string;
}

export interface PostgresDatabase {
  host: string;
  port: number;
  dbname: string;
  user: string;
  password?: string;
  /** Schema holding the views when it is not on the role's search_path; queries qualify them. */
  schema?: string;
}

interface CommonSettings {
  /** The host name Postfix greets with and Dovecot names itself by, e.g. mx.example.net. */
  mailHost: string;
  /** Address(es) Postfix (`inet_interfaces`) and Dovecot (`listen`) bind, comma-separated. */
  listen: string;
  ports: {
    /** Inbound SMTP (the MX); 25 in production, unprivileged by default for private instances. */
    smtp: number;
    /** Authenticated submission (SASL through Dovecot). */
    submission: number;
    imap: number;
    /** IMAP over implicit TLS (RFC 8314), what credentials CSVs and SRV records name; with `tls` only. */
    imaps: number;
    /** Submission over implicit TLS (RFC 8314; 465 in production); with `tls` only. */
    submissions: number;
    /** postsrsd's forward (sender → SRS) and reverse (SRS → sender) tables, on 127.0.0.1. */
    srsForward: number;
    srsReverse: number;
    /** Where Dovecot reports each login (auth policy), on 127.0.0.1: app passwords' last use. */
    authPolicy: number;
    /** Absolute path of Dovecot's LMTP socket, which Postfix delivers to. */
    lmtp: string;
  };
  dirs: {
    /** Everything of the mail plane lives under here (by default `<data dir>/mail-plane`). */
    base: string;
    /** Rendered configuration: `postfix/` (Postfix's config_directory) and `dovecot/`. */
    config: string;
    /** Postfix's queue_directory; the private sockets Postfix connects to live in `private/`. */
    queue: string;
    /** Postfix's data_directory and Dovecot's state_dir parent. */
    state: string;
    /** The mail root: a mailbox's maildir is `<mail>/<domain>/<local part>/Maildir`. */
    mail: string;
    /** Dovecot's base_dir (its runtime sockets and pid file). */
    run: string;
    log: string;
    /**
     * OpenDKIM's private keys. Not under `base`: OpenDKIM (RequireSafeKeys) refuses a key when a
     * directory above it is writable by anyone but root and itself, and the data dir belongs to
     * the account the API runs as. By default beside the data dir (`/var/lib/mailwright-dkim`).
     */
    dkimKeys: string;
  };
  /**
   * System accounts: Postfix's mail_owner, and the one owner of every maildir. With SQLite,
   * `databaseGroup` owns the database's directory and files (mode 2770/0660), so the readers can
   * use it in WAL mode. It must be the mail_owner's primary group: Postfix's daemons drop every
   * supplementary group (`setgroups(1, &gid)`) when they give up root. Dovecot's auth-worker gets
   * it as an extra group. `opendkim` owns the signing keys and runs the DKIM signer; postsrsd
   * drops to `srs` once it has read its secret. `dovecot` is Dovecot's `default_internal_user`
   * and its group, which the auth processes run as: they read the Lua passdb's script.
   */
  users: {
    postfix: string;
    dovecot: string;
    vmail: string;
    vmailGroup: string;
    databaseGroup: string;
    opendkim: string;
    srs: string;
  };
  /** Certificate and key (PEM files); without them nothing is encrypted (tests only). */
  tls?: { certFile: string; keyFile: string };
  /** Where `postmaster@` and `abuse@` of every hostname go (MAILWRIGHT_POSTMASTER). */
  postmaster?: string;
  /**
   * `[host]:port` every outbound message goes through (Postfix's `relayhost`), instead of each
   * recipient domain's MX: mail forwarded or aliased to another provider leaves this way too.
   */
  relayHost?: string;
  /**
   * The relays' SASL logins (MAILWRIGHT_RELAY_PASSWORD_FILE): one `[host]:port user:password`
   * line per relay, the global one's or a domain's, or a bare `user:password` for the global
   * relay. `up` reads it as root (`relay-login.ts`); Postfix gets its own 0600 copy.
   */
  relayPasswordFile?: string;
}

export type MailPlaneSettings =
  | (CommonSettings & { dialect: 'sqlite'; database: SqliteDatabase })
  | (CommonSettings & { dialect: 'postgres'; database: PostgresDatabase });

/** Loopback and unprivileged ports: a private instance; production sets its own in the env file. */
export const DEFAULT_LISTEN = '127.0.0.1';
export const DEFAULT_PORTS = {
  smtp: 2525,
  submission: 5870,
  imap: 1143,
  imaps: 9933,
  submissions: 4650,
  srsForward: 10_011,
  srsReverse: 10_012,
  authPolicy: 10_013,
} as const;

export interface MailPlaneInput {
  /** Mailwright's MAILWRIGHT_DATABASE_URL. */
  databaseUrl: string;
  /** Mailwright's MAILWRIGHT_DATA_DIR. */
  dataDir: string;
  mailHost: string;
  listen?: string;
  ports?: Partial<CommonSettings['ports']>;
  users?: Partial<CommonSettings['users']>;
  tls?: CommonSettings['tls'];
  postmaster?: string;
  relayHost?: string;
  relayPasswordFile?: string;
  /** MAILWRIGHT_DKIM_KEYS_DIR; by default `<data dir>-dkim`. */
  dkimKeysDir?: string;
}

/**
 * The mail plane's settings for a Mailwright installation: every directory under
 * `<data dir>/mail-plane` but the DKIM keys' (`<data dir>-dkim`), so a private instance never
 * touches a system-wide mail setup.
 */
export function mailPlaneSettings(input: MailPlaneInput): MailPlaneSettings {
  const dataDir = resolve(input.dataDir);
  const base = join(dataDir, 'mail-plane');
  const queue = join(base, 'spool', 'postfix');
  const common: CommonSettings = {
    mailHost: input.mailHost.toLowerCase().replace(/\.$/, ''),
    listen: input.listen ?? DEFAULT_LISTEN,
    ports: {
      ...DEFAULT_PORTS,
      lmtp: join(queue, 'private', 'dovecot-lmtp'),
      ...input.ports,
    },
    dirs: {
      base,
      config: join(base, 'etc'),
      queue,
      state: join(base, 'lib'),
      mail: join(base, 'mail'),
      run: join(base, 'run'),
      log: join(base, 'log'),
      dkimKeys: resolve(input.dkimKeysDir ?? `${dataDir}-dkim`),
    },
    users: {
      postfix: 'postfix',
      dovecot: 'dovecot',
      vmail: 'mailwright-vmail',
      vmailGroup: 'mailwright-vmail',
      databaseGroup: 'postfix',
      opendkim: 'opendkim',
      srs: 'postsrsd',
      ...input.users,
    },
    ...(input.tls ? { tls: input.tls } : {}),
    ...(input.postmaster ? { postmaster: input.postmaster.trim().toLowerCase() } : {}),
    ...(input.relayHost ? { relayHost: input.relayHost.trim().toLowerCase() } : {}),
    ...(input.relayPasswordFile ? { relayPasswordFile: resolve(input.relayPasswordFile) } : {}),
  };
  const database = parseDatabaseUrl(input.databaseUrl);
  const settings =
    database.dialect === 'sqlite'
      ? { ...common, dialect: database.dialect, database: { path: resolve(database.path) } }
      : { ...common, dialect: database.dialect, database: database.params };
  checkSettings(settings);
  return settings;
}

type ParsedUrl =
  { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; params: PostgresDatabase };

/** The same URL forms as `openStore`; a PostgreSQL `options=-c search_path=x` names the schema. */
export function parseDatabaseUrl(url: string): ParsedUrl {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path || path === ':memory:') {
      throw new Error('The mail servers need a SQLite file path, not an in-memory database.');
    }
    return { dialect: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const u = new URL(url);
    const searchPath = /(?:^|\s)-c\s*search_path=([^\s,]+)/.exec(
      u.searchParams.get('options') ?? '',
    )?.[1];
    const params: PostgresDatabase = {
      host: u.hostname.replace(/^\[|\]$/g, '') || 'localhost',
      port: u.port ? Number(u.port) : 5432,
      dbname: decodeURIComponent(u.pathname.slice(1)) || decodeURIComponent(u.username),
      user: decodeURIComponent(u.username) || 'postgres',
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(searchPath ? { schema: searchPath } : {}),
    };
    return { dialect: 'postgres', params };
  }
  throw new Error('The database URL must start with sqlite: or postgres://.');
}

// Paths and names go into three config syntaxes (Postfix, Dovecot, SQL strings) and Dovecot's
// `%` variables; keeping them to these characters means none of them needs quoting anywhere.
const SAFE_PATH = /^\/[A-Za-z0-9._/-]*$/;
const SAFE_NAME = /^[A-Za-z0-9._-]+$/;
const SAFE_SCHEMA = /^[a-z_][a-z0-9_]*$/;
// Rendered inside a SQL string literal that Postfix also expands `%` in.
const SAFE_ADDRESS = /^[a-z0-9._+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/;

// Postfix and Dovecot take the rest of the line as the value; these would need escaping.
const SAFE_SECRET = /^[\x21-\x7e]+$/;
const SECRET_SPECIAL = /["'\\#%$]/;

export function checkSettings(s: MailPlaneSettings): void {
  const paths: [string, string][] = [
    ...Object.entries(s.dirs).map(([k, v]): [string, string] => [`dirs.${k}`, v]),
    ['ports.lmtp', s.ports.lmtp],
    ...(s.dialect === 'sqlite' ? [['database.path', s.database.path] as [string, string]] : []),
    ...(s.tls
      ? [
          ['tls.certFile', s.tls.certFile] as [string, string],
          ['tls.keyFile', s.tls.keyFile] as [string, string],
        ]
      : []),
  ];
  for (const [name, path] of paths) {
    if (!isAbsolute(path) || !SAFE_PATH.test(path)) {
      throw new Error(
        `Mail plane ${name} must be an absolute path of letters, digits, dots, underscores, hyphens and slashes; got "${path}".`,
      );
    }
  }
  for (const [name, port] of Object.entries({
    smtp: s.ports.smtp,
    submission: s.ports.submission,
    imap: s.ports.imap,
    imaps: s.ports.imaps,
    submissions: s.ports.submissions,
    srsForward: s.ports.srsForward,
    srsReverse: s.ports.srsReverse,
    authPolicy: s.ports.authPolicy,
  })) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`Mail plane ports.${name} must be a whole number from 1 to 65535.`);
    }
  }
  const names: [string, string][] = [
    ['mailHost', s.mailHost],
    ...Object.entries(s.users).map(([k, v]): [string, string] => [`users.${k}`, v]),
    ...s.listen.split(',').map((a): [string, string] => ['listen', a.trim()]),
  ];
  if (s.dialect === 'postgres') {
    names.push(['database.host', s.database.host], ['database.dbname', s.database.dbname]);
    names.push(['database.user', s.database.user]);
  }
  for (const [name, value] of names) {
    if (!SAFE_NAME.test(value.replace(/:/g, ''))) {
      throw new Error(
        `Mail plane ${name} "${value}" has characters the mail servers' configs cannot take.`,
      );
    }
  }
  if (s.postmaster !== undefined && !SAFE_ADDRESS.test(s.postmaster)) {
    throw new Error(
      `The postmaster address must be a plain address of letters, digits, dots, hyphens, underscores and +, e.g. hostmaster@example.net; got "${s.postmaster}".`,
    );
  }
  if (s.relayHost !== undefined && !isRelayHost(s.relayHost)) {
    throw new Error(
      `The relay host must be [host]:port, e.g. [smtp.relay.example]:587 (brackets: no MX lookup); got "${s.relayHost}".`,
    );
  }
  if (s.dialect === 'postgres') {
    const { schema, password, port } = s.database;
    if (schema !== undefined && !SAFE_SCHEMA.test(schema)) {
      throw new Error(
        `Mail plane database.schema must be a plain lowercase identifier; got "${schema}".`,
      );
    }
    if (password !== undefined && (!SAFE_SECRET.test(password) || SECRET_SPECIAL.test(password))) {
      throw new Error(
        'The database password for the mail servers must be printable ASCII without spaces, quotes, backslashes, #, % or $.',
      );
    }
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error('Mail plane database.port must be a whole number from 1 to 65535.');
    }
  }
}
