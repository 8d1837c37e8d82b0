/**
 * Everything configurable comes from the environment, read once at start-up so a typo fails
 * fast instead of at the first request that needs the value.
 */
export interface Config {
  databaseUrl: string;
  listen: { host: string; port: number };
  /** `ip` or `ip:port` entries; empty means the system's resolvers. */
  dnsServers: string[];
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/mailwright.db';
export const DEFAULT_LISTEN = '127.0.0.1:8025';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    databaseUrl: env.MAILWRIGHT_DATABASE_URL?.trim() || DEFAULT_DATABASE_URL,
    listen: parseListen(env.MAILWRIGHT_LISTEN?.trim() || DEFAULT_LISTEN),
    dnsServers: (env.MAILWRIGHT_DNS_SERVERS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
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
