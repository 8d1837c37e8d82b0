import { hostname } from 'node:os';

/**
 * Everything configurable comes from the environment, read once at start-up so a typo fails
 * fast instead of at the first request that needs the value.
 */
export interface Config {
  databaseUrl: string;
  listen: { host: string; port: number };
  /** `ip` or `ip:port` entries; empty means the system's resolvers. */
  dnsServers: string[];
  /** Holds the secret key file (and the SQLite database by default). */
  dataDir: string;
  /** Where mail clients and sending tools connect, as written into credentials CSVs. */
  mailServer: { imapHost: string; imapPort: number; smtpHost: string; smtpPort: number };
  /** A job's worker must renew its claim within this time, or another worker takes over. */
  jobLeaseSeconds: number;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/mailwright.db';
export const DEFAULT_LISTEN = '127.0.0.1:8025';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // The host mail clients reach; a real deployment sets it (e.g. mx.example.net).
  const mailHost = env.MAILWRIGHT_MAIL_HOST?.trim() || hostname();
  return {
    databaseUrl: env.MAILWRIGHT_DATABASE_URL?.trim() || DEFAULT_DATABASE_URL,
    listen: parseListen(env.MAILWRIGHT_LISTEN?.trim() || DEFAULT_LISTEN),
    dnsServers: (env.MAILWRIGHT_DNS_SERVERS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    dataDir: env.MAILWRIGHT_DATA_DIR?.trim() || './data',
    mailServer: {
      imapHost: mailHost,
      imapPort: positiveInt(env, 'MAILWRIGHT_IMAP_PORT', 993),
      smtpHost: mailHost,
      smtpPort: positiveInt(env, 'MAILWRIGHT_SMTP_PORT', 587),
    },
    jobLeaseSeconds: positiveInt(env, 'MAILWRIGHT_JOB_LEASE_SECONDS', 30),
  };
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new Error(`${name} must be a whole number from 1 to 65535; got "${raw}".`);
  }
  return value;
}

function parseListen(value: string): Config['listen'] {
  // `[::1]:8025` for IPv6, `host:port` otherwise.
  const match = /^(?:\[(?<v6>[^\]]+)\]|(?<host>[^:]+)):(?<port>\d+)$/.exec(value);
  const port = Number(match?.groups?.port);
  if (!match || !Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`MAILWRIGHT_LISTEN must be host:port, e.g. ${DEFAULT_LISTEN}; got "${value}".`);
  }
  return { host: match.groups?.v6 ?? match.groups?.host ?? '', port };
}
