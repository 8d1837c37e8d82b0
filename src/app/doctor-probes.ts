import { execFile } from 'node:child_process';
import { Resolver } from 'node:dns/promises';
import { connect } from 'node:net';
import { promisify } from 'node:util';
import {
  HELO_SPF_RECORD,
  MAX_CLOCK_SKEW_SECONDS,
  PROBE_TIMEOUT_MS,
  reverseName,
} from '../core/host-checks.js';
import { createLookup } from '../dns/lookup.js';
import { checkSpf } from '../dns/spf.js';
import type { MailPlaneSettings } from '../mailstack/settings.js';
import type { Config } from './config.js';

/**
 * The checks of `mailwright doctor` that look at the host from outside its own files: the
 * network (outbound 25, DNS of the mail host), who holds the ports, the clock. Every lookup
 * goes through MAILWRIGHT_DNS_SERVERS and every target comes from the configuration, so tests
 * point them at servers of their own on loopback.
 */

export type Pass = (name: string, detail: string) => void;
export type Fail = (name: string, detail: string, fix: string) => void;

export async function hostProbes(
  config: Config,
  s: MailPlaneSettings,
  now: () => Date,
  pass: Pass,
  fail: Fail,
): Promise<void> {
  await outbound25(config, pass, fail);
  await mailHostDns(config, pass, fail);
  await portHolders(config, s, pass, fail);
  await clockSkew(config, now, pass, fail);
}

async function outbound25(config: Config, pass: Pass, fail: Fail): Promise<void> {
  const { host, port } = config.doctor.smtpProbe;
  const target = `${host}:${port}`;
  const greeting = await smtpGreeting(host, port).catch((error: Error) => error);
  if (greeting instanceof Error || !greeting.startsWith('220')) {
    fail(
      'outbound-25',
      `no SMTP greeting from ${target}: ${greeting instanceof Error ? greeting.message : greeting}`,
      'Mail cannot leave this host directly: ask the provider to open outbound port 25, or send through a relay (MAILWRIGHT_RELAY_HOST).',
    );
  } else pass('outbound-25', `${target} greets: ${greeting.slice(0, 60)}`);
}

function smtpGreeting(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port, timeout: PROBE_TIMEOUT_MS });
    let data = '';
    const done = (outcome: () => void) => {
      socket.destroy();
      outcome();
    };
    socket.on('data', (chunk: Buffer) => {
      data += chunk.toString('latin1');
      const end = data.indexOf('\r\n');
      if (end >= 0) {
        socket.write('QUIT\r\n');
        done(() => resolve(data.slice(0, end)));
      }
    });
    socket.on('timeout', () =>
      done(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`))),
    );
    socket.on('error', (error) => done(() => reject(error)));
    socket.on('end', () => done(() => reject(new Error('closed without a greeting'))));
  });
}

/** The mail host's addresses, each one's PTR naming it, and SPF for it as a HELO name. */
async function mailHostDns(config: Config, pass: Pass, fail: Fail): Promise<void> {
  const mailHost = config.dnsSettings.mailHost;
  const resolver = new Resolver({ timeout: PROBE_TIMEOUT_MS, tries: 2 });
  if (config.dnsServers.length > 0) resolver.setServers(config.dnsServers);
  const addresses = [
    ...(await resolver.resolve4(mailHost).catch(() => [] as string[])),
    ...(await resolver.resolve6(mailHost).catch(() => [] as string[])),
  ];
  if (addresses.length === 0) {
    fail(
      'mail-host-address',
      `${mailHost} has no A or AAAA record`,
      `Publish A (and AAAA) records for ${mailHost} with this host's public addresses.`,
    );
  } else pass('mail-host-address', `${mailHost} is ${addresses.join(', ')}`);

  const wrong: string[] = [];
  for (const address of addresses) {
    // PTR through DNS itself: reverse() would answer from /etc/hosts first.
    const names = await resolver.resolvePtr(reverseName(address)).catch(() => [] as string[]);
    const lower = names.map((n) => n.toLowerCase().replace(/\.$/, ''));
    if (!lower.includes(mailHost)) {
      wrong.push(`${address} → ${names.length > 0 ? names.join(', ') : 'no PTR'}`);
    }
  }
  if (addresses.length === 0) {
    fail('ptr', `nothing to check: ${mailHost} has no address`, 'See mail-host-address.');
  } else if (wrong.length > 0) {
    fail(
      'ptr',
      `reverse DNS does not name ${mailHost}: ${wrong.join('; ')}`,
      `Ask the provider of ${wrong.map((w) => w.split(' ')[0]).join(', ')} to set its reverse DNS (PTR) to ${mailHost}: receivers refuse or junk mail from addresses whose PTR does not match the HELO name.`,
    );
  } else pass('ptr', `every address of ${mailHost} points back to it`);

  const lookup = createLookup(config.dnsServers, PROBE_TIMEOUT_MS);
  const txt = await lookup(mailHost, 'TXT');
  const verdict = await checkSpf(HELO_SPF_RECORD, txt.answers, {
    host: mailHost,
    mailHost,
    lookupTxt: (host) => lookup(host, 'TXT'),
  });
  if (verdict.status === 'ok') pass('helo-spf', `${mailHost} authorizes itself as a HELO name`);
  else fail('helo-spf', `SPF of the HELO name ${mailHost}: ${verdict.status}`, verdict.hint);
}

/**
 * Who listens on the mail ports and the API's: a system Postfix or Exim left on 25, or another
 * web server on 443, is the usual reason a daemon "runs but nothing answers". A port nobody
 * holds is the daemon's own line (not running).
 */
async function portHolders(
  config: Config,
  s: MailPlaneSettings,
  pass: Pass,
  fail: Fail,
): Promise<void> {
  // A listening socket is shared by the processes that inherit it (smtpd from master, the
  // login processes from dovecot); node may carry a process title after its name.
  const postfix = {
    what: 'Postfix',
    is: (c: string) => ['master', 'smtpd', 'postscreen'].includes(c),
  };
  const dovecot = { what: 'Dovecot', is: (c: string) => c === 'dovecot' || c.endsWith('-login') };
  const api = { what: 'the API', is: (c: string) => c.startsWith('node') };
  const expected = [
    [s.ports.smtp, postfix],
    [s.ports.submission, postfix],
    ...(s.tls ? [[s.ports.submissions, postfix] as const] : []),
    [s.ports.imap, dovecot],
    ...(s.tls ? [[s.ports.imaps, dovecot] as const] : []),
    [config.listen.port, api],
  ] as const;
  let holders: Map<number, { command: string; pid: string }[]>;
  try {
    holders = await listeners();
  } catch (error) {
    fail('ports', `cannot list listening sockets: ${(error as Error).message}`, 'Run as root.');
    return;
  }
  const seen: string[] = [];
  const foreign: string[] = [];
  for (const [port, owner] of expected) {
    const on = holders.get(port) ?? [];
    const others = on.filter((h) => !owner.is(h.command));
    if (others.length > 0) {
      foreign.push(
        `${port} (${owner.what}'s) held by ${others.map((h) => `${h.command} pid ${h.pid}`).join(', ')}`,
      );
    } else if (on.length > 0) seen.push(`${port} ${owner.what}`);
    else if (owner === api) foreign.push(`${port} (the API's): nothing listens`);
  }
  if (foreign.length > 0) {
    fail(
      'ports',
      foreign.join('; '),
      'Stop what holds a port that is not Mailwright’s (e.g. systemctl disable --now exim4 postfix), then start the missing part: systemctl restart mailwright mailwright-mailstack.',
    );
  } else pass('ports', seen.join(', '));
}

const run = promisify(execFile);

/** Listening TCP ports and their processes, from `ss -ltnpH` (iproute2). */
async function listeners(): Promise<Map<number, { command: string; pid: string }[]>> {
  const { stdout } = await run('ss', ['-ltnpH']);
  const found = new Map<number, { command: string; pid: string }[]>();
  for (const line of stdout.split('\n')) {
    const local = line.trim().split(/\s+/)[3];
    const port = Number(local?.slice(local.lastIndexOf(':') + 1));
    if (!Number.isInteger(port) || port <= 0) continue;
    const list = found.get(port) ?? [];
    for (const m of line.matchAll(/\("([^"]+)",pid=(\d+)/g)) {
      if (!list.some((h) => h.pid === m[2])) list.push({ command: m[1]!, pid: m[2]! });
    }
    found.set(port, list);
  }
  return found;
}

async function clockSkew(config: Config, now: () => Date, pass: Pass, fail: Fail): Promise<void> {
  const url = config.doctor.timeUrl;
  if (!url) {
    pass(
      'clock',
      'not checked: set MAILWRIGHT_DOCTOR_TIME_URL to a web server to compare the clock with',
    );
    return;
  }
  const fix =
    'Synchronise the clock: apt-get install systemd-timesyncd (or chrony), then timedatectl set-ntp true.';
  let date: string | null;
  try {
    const response = await fetch(url, {
      method: 'HEAD',
      signal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    date = response.headers.get('date');
  } catch (error) {
    fail(
      'clock',
      `no answer from ${url}: ${(error as Error).message}`,
      `Fix MAILWRIGHT_DOCTOR_TIME_URL. ${fix}`,
    );
    return;
  }
  const theirs = date ? Date.parse(date) : NaN;
  if (Number.isNaN(theirs)) {
    fail(
      'clock',
      `${url} sent no Date header`,
      'Set MAILWRIGHT_DOCTOR_TIME_URL to another server.',
    );
    return;
  }
  // The header has whole seconds: half a second either way is rounding, not skew.
  const skew = Math.round((now().getTime() - theirs) / 1000);
  if (Math.abs(skew) > MAX_CLOCK_SKEW_SECONDS) {
    fail('clock', `${Math.abs(skew)} s ${skew > 0 ? 'ahead of' : 'behind'} ${url}`, fix);
  } else pass('clock', `within ${Math.max(1, Math.abs(skew))} s of ${url}`);
}
