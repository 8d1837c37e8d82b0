/**
 * The three test tiers, as vitest projects (vitest.config.ts). A tier is what a test needs to
 * run, not what it covers:
 *
 * - `unit`: Node alone. No database, no process, no socket, no root; the whole tier runs in
 *   seconds. test/support/unit-guard.ts makes a test that opens a database, starts a process or
 *   uses the network fail.
 * - `integration`: PostgreSQL on loopback and a temporary SQLite file; the API through inject or
 *   a loopback port, the CLI in-process, child Node processes, bash/curl/openssl, an in-process
 *   DNS server. Any user.
 * - `system`: what is installed on the machine: real servers (Postfix, Dovecot, OpenDKIM, knotd,
 *   pdns, Chromium) and the tools that check deploy/ (systemd-analyze, `nft -c`); the server
 *   started as `npm start` runs it, processes killed with SIGKILL. Root.
 *
 * Whole directories belong to one tier so that a new file lands in it; a file that needs more
 * than its directory's tier is excluded there and named in its own tier. test/tiers.test.ts
 * fails when a test file is in no tier or in two.
 */
export interface Tier {
  include: string[];
  exclude: string[];
}

/** Files that need more than the rest of their directory. */
const STARTS_NODE_PROCESSES = 'test/core/secret-key.test.ts';
const PUBLISHES_TO_DNS_SERVERS = 'test/api/dns-publish.test.ts';

export const TIERS = {
  unit: {
    include: [
      'test/core/**/*.test.ts',
      'test/{architecture,config,tiers,unit-guard}.test.ts',
      'test/dns/{dkim,dmarc,spf}.test.ts',
      'test/mailstack/{key-safety,quota-usage,quota-warnings}.test.ts',
    ],
    exclude: [STARTS_NODE_PROCESSES],
  },
  integration: {
    include: [
      'test/api/**/*.test.ts',
      'test/bulk/**/*.test.ts',
      'test/cli/**/*.test.ts',
      'test/store/**/*.test.ts',
      STARTS_NODE_PROCESSES,
      // Rendering is pure, but writing the files as root runs getent for the servers' groups.
      'test/mailstack/render.test.ts',
      'test/dns/record-checker.test.ts',
      'test/jobs/{hash-pool,runner-heartbeat}.test.ts',
      'test/mailstack/{cli,views}.test.ts',
    ],
    exclude: [PUBLISHES_TO_DNS_SERVERS],
  },
  system: {
    include: [
      'test/web/**/*.test.ts',
      'test/deploy/**/*.test.ts',
      'test/server.test.ts',
      'test/certificates/**/*.test.ts',
      PUBLISHES_TO_DNS_SERVERS,
      'test/dns/{powerdns,rfc2136}.test.ts',
      'test/jobs/{kill-resume,multi-process,webhook-kill}.test.ts',
      'test/mailstack/{auth-cache,backup-restore,doctor,e2e,export-logins,fleet,from-header,imap-sessions,relay,routing,sending,server-configs,signing-keys,syslog-capture,tls}.test.ts',
    ],
    exclude: [],
  },
} satisfies Record<string, Tier>;

export type TierName = keyof typeof TIERS;
