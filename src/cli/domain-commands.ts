import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import {
  DEFAULT_DOMAIN_QUOTA_MB,
  MAILBOX_LIMIT_RANGE,
  MAX_DOMAIN_NAMES,
  MAX_SUBDOMAIN_LABELS,
} from '../core/limits.js';
import { DEFAULT_PAGE_LIMIT } from '../core/page-limit.js';
import { WEB_HOSTS } from '../core/dns-plan.js';
import { MAX_REDIRECT_URL_LENGTH } from '../core/redirect-url.js';
import { RELAY_HOST_EXAMPLE } from '../core/relay-host.js';
import { addDomain } from '../services/domains/add-domain.js';
import { addDomains } from '../services/domains/add-domains.js';
import { addSubdomains } from '../services/domains/add-subdomains.js';
import { deleteDomain } from '../services/domains/delete-domain.js';
import type { Domain } from '../services/domains/support/domain-view.js';
import { getDomain } from '../services/domains/get-domain.js';
import { getDnsPlan } from '../services/dns-records/get-dns-plan.js';
import { getDnsZone } from '../services/dns-records/get-dns-zone.js';
import { listDomains } from '../services/domains/list-domains.js';
import { updateDomain } from '../services/domains/update-domain.js';
import { verifyDomain } from '../services/domains/verify-domain.js';
import { verifyDomains } from '../services/domains/verify-domains.js';
import { publishDnsInBulk } from '../services/dns-records/publish-dns-in-bulk.js';
import { exportDns } from '../services/dns-records/export-dns.js';
import { numberArg, usageError } from './args.js';
import { followDomainJob } from './domain-job.js';
import { EXIT, ExitCode } from './errors.js';
import { displayName, table } from './format.js';
import type { CliIo } from './io.js';
import { withSession, type Session } from './session.js';

const SLOTS = `${MAILBOX_LIMIT_RANGE[0]}–${MAILBOX_LIMIT_RANGE[1]}`;

interface SizeOptions {
  mailboxLimit?: number;
  quotaMb?: number;
}

interface UpdateOptions extends SizeOptions {
  redirectTo?: string;
  trackingCname?: string;
  relayHost?: string;
}

/** An empty value removes the setting: a flag cannot carry null. */
const clearable = (
  field: 'redirectTo' | 'trackingCname' | 'relayHost',
  value: string | undefined,
) => (value === undefined ? {} : { [field]: value === '' ? null : value });

export function registerDomainCommands(program: Command, io: CliIo): void {
  const domain = program
    .command('domain')
    .description('root domains and their ownership verification');

  domain
    .command('add')
    .description(
      `add a root domain (hostname only, e.g. example.com), or with --file many: one per line (at most ${MAX_DOMAIN_NAMES})`,
    )
    .argument('[name]')
    .option('--file <file>', 'add every domain in this file, one per line; - reads standard input')
    .option(
      '--mailbox-limit <n>',
      `mailbox slots, ${SLOTS} (default: the account’s max-mailboxes-per-domain)`,
      numberArg,
    )
    .option(
      '--quota-mb <mb>',
      `storage pool its mailboxes share, in MB (default ${DEFAULT_DOMAIN_QUOTA_MB})`,
      numberArg,
    )
    .action((name: string | undefined, opts: SizeOptions & { file?: string }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        if (opts.file !== undefined) {
          if (name !== undefined || Object.keys(sizes(opts)).length > 0)
            usageError(cmd, 'give either a name (with its sizes) or --file, not both.');
          return addFromFile(s, io, opts.file);
        }
        if (name === undefined) usageError(cmd, 'give a domain name, or --file FILE for many.');
        const added = await addDomain(s.ctx, await s.actor(), { name, ...sizes(opts) });
        if (s.json) return s.printJson(added);
        s.out(`✔ Added ${displayName(added)}; it is pending verification.\n`);
        warn(s, added);
        s.out(verificationText(added));
      }),
    );

  domain
    .command('list')
    .description('list root domains and sub-domains in name order')
    .option('--cursor <cursor>', 'continue after the previous page (its next cursor)')
    .option('--limit <n>', `domains per page (default ${DEFAULT_PAGE_LIMIT})`, numberArg)
    .action((opts: { cursor?: string; limit?: number }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const page = await listDomains(s.ctx, await s.actor(), opts);
        if (s.json) return s.printJson(page);
        if (page.items.length === 0 && !opts.cursor) {
          s.out('No domains yet: add one with `mailwright domain add example.com`.');
          return;
        }
        s.out(
          table(
            ['NAME', 'KIND', 'STATUS', 'PARENT'],
            page.items.map((d) => [displayName(d), d.kind, d.status, d.parent ?? '-']),
          ),
        );
        if (page.nextCursor) s.out(`\nMore: mailwright domain list --cursor ${page.nextCursor}`);
      }),
    );

  domain
    .command('show')
    .description('show a domain and the TXT record that proves its ownership')
    .argument('<name>')
    .action((name: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const found = await getDomain(s.ctx, await s.actor(), name);
        if (s.json) return s.printJson(found);
        s.out(
          table(
            ['Name:', displayName(found)],
            [
              ['Kind:', found.kind],
              ['Parent:', found.parent ?? '-'],
              ['Status:', found.status],
              ['Mailboxes:', `${found.mailboxCount} of ${found.mailboxLimit}`],
              ['Storage pool:', `${found.quotaMb} MB`],
              ['Relay:', found.relayHost ?? (found.kind === 'subdomain' ? "its root's" : '-')],
              ['Created:', found.createdAt],
            ],
          ),
        );
        warn(s, found);
        s.out(verificationText(found));
      }),
    );

  domain
    .command('update')
    .description(
      "resize a domain or sub-domain (mailbox slots, storage pool); set a root's web redirect and tracking CNAME; set a hostname's relay",
    )
    .argument('<name>')
    .option('--mailbox-limit <n>', `mailbox slots, ${SLOTS}`, numberArg)
    .option('--quota-mb <mb>', 'storage pool its mailboxes share, in MB', numberArg)
    .option(
      '--redirect-to <url>',
      `https URL (at most ${MAX_REDIRECT_URL_LENGTH} characters) the domain and www. redirect to; "" removes it`,
    )
    .option(
      '--tracking-cname <host>',
      `host name ${WEB_HOSTS.tracking}.<domain> is a CNAME to; "" removes it`,
    )
    .option(
      '--relay-host <[host]:port>',
      `relay its addresses' mail leaves through, e.g. ${RELAY_HOST_EXAMPLE}; "" removes it (a sub-domain then follows its root's)`,
    )
    .action((name: string, opts: UpdateOptions, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const input = {
          ...sizes(opts),
          ...clearable('redirectTo', opts.redirectTo),
          ...clearable('trackingCname', opts.trackingCname),
          ...clearable('relayHost', opts.relayHost),
        };
        if (Object.keys(input).length === 0) {
          usageError(
            cmd,
            'nothing to change: give --mailbox-limit, --quota-mb, --redirect-to, --tracking-cname or --relay-host.',
          );
        }
        const updated = await updateDomain(s.ctx, await s.actor(), name, input);
        if (s.json) return s.printJson(updated);
        s.out(
          `✔ ${displayName(updated)}: ${updated.mailboxCount} of ${updated.mailboxLimit} mailbox slots used, ` +
            `storage pool ${updated.quotaMb} MB.`,
        );
        if (updated.redirectTo) s.out(`  web: redirects to ${updated.redirectTo}`);
        if (updated.trackingCname) {
          s.out(`  tracking: ${WEB_HOSTS.tracking}.${updated.name} CNAME ${updated.trackingCname}`);
        }
        if (updated.relayHost)
          s.out(`  relay: mail from its addresses leaves through ${updated.relayHost}`);
      }),
    );

  domain
    .command('verify')
    .description(
      'look up the ownership TXT record and mark the domain (and its family) verified; several names, or --pending, run as one job',
    )
    .argument('[names...]')
    .option('--pending', 'verify every domain still waiting to be verified')
    .option(
      '--manual',
      'operator override: mark verified without a DNS lookup (recorded in the audit log)',
    )
    .action((names: string[], opts: { manual?: boolean; pending?: boolean }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const actor = await s.actor();
        if (names.length !== 1 || opts.pending) {
          if (opts.manual) usageError(cmd, '--manual verifies one domain: give one name.');
          const accepted = await verifyDomains(s.ctx, actor, {
            names,
            ...(opts.pending ? { pending: true } : {}),
          });
          return followDomainJob(s, io, actor, accepted);
        }
        const [name] = names as [string];
        const before = await getDomain(s.ctx, actor, name);
        const verified = await verifyDomain(
          s.ctx,
          actor,
          name,
          opts.manual ? { manual: true } : {},
        );
        if (s.json) return s.printJson(verified);
        if (before.status === 'verified') s.out(`✔ ${displayName(verified)} was already verified.`);
        else if (opts.manual) {
          s.out(
            `✔ ${displayName(verified)} is verified (manual override, recorded in the audit log).`,
          );
        } else s.out(`✔ ${displayName(verified)} is verified: its TXT record was found.`);
      }),
    );

  domain
    .command('publish')
    .description(
      "write domains' DNS records to the configured DNS host (MAILWRIGHT_DNS_PROVIDER) and check them live, as one job",
    )
    .argument('[names...]')
    .option('--pending', 'every domain whose records were never checked live or were failing')
    .action((names: string[], opts: { pending?: boolean }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const actor = await s.actor();
        const accepted = await publishDnsInBulk(s.ctx, actor, {
          names,
          ...(opts.pending ? { pending: true } : {}),
        });
        await followDomainJob(s, io, actor, accepted);
      }),
    );

  domain
    .command('dns')
    .description('the DNS records a domain needs, or with --zone a BIND fragment to paste')
    .argument('<name>')
    .option('--zone', 'print a BIND zone fragment to paste into your DNS host')
    .option('--check', 'look each record up live and show what is missing')
    .action((name: string, opts: { zone?: boolean; check?: boolean }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const actor = await s.actor();
        if (opts.zone) return s.out(await getDnsZone(s.ctx, actor, name));
        const plan = await getDnsPlan(s.ctx, actor, name, { check: opts.check === true });
        if (s.json) return s.printJson(plan);
        const checked = plan.checkedAt !== null;
        s.out(
          table(
            checked ? ['TYPE', 'HOST', 'STATUS', 'VALUE'] : ['TYPE', 'HOST', 'VALUE'],
            plan.records.map((r) =>
              checked ? [r.type, r.host, r.status, r.value] : [r.type, r.host, r.value],
            ),
          ),
        );
        for (const r of plan.records) if (r.hint) s.out(`✘ ${r.type} ${r.host}: ${r.hint}`);
        if (!checked) s.out(`As a zone file: mailwright domain dns ${name.trim()} --zone`);
      }),
    );

  domain
    .command('export')
    .description(
      "many domains' DNS records in one file: a zip of a BIND zone file per domain and records.csv, or with --csv the CSV alone",
    )
    .argument('[names...]', 'the domains (default: every domain of the account)')
    .requiredOption('--out <file>', 'the file to write (never overwritten); - prints it')
    .option('--csv', 'write only the CSV of every record (domain,type,host,value,ttl)')
    .action((names: string[], opts: { out: string; csv?: boolean }, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        if (opts.out === '-' && !opts.csv)
          usageError(cmd, 'a zip is not printed: give --out FILE, or --csv.');
        const exported = await exportDns(s.ctx, await s.actor(), { names });
        const data = opts.csv ? exported.csv : exported.zip;
        if (opts.out === '-') return s.io.stdout(exported.csv);
        try {
          await writeFile(opts.out, data, { flag: 'wx' });
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
          usageError(
            cmd,
            `${opts.out} already exists and is never overwritten: give --out a new file name.`,
          );
        }
        if (s.json) return s.printJson({ file: opts.out, records: exported.records });
        s.out(`✔ Wrote ${exported.records} record(s) to ${opts.out}.`);
      }),
    );

  domain
    .command('check')
    .description('look up every record the domain needs and show what to fix (✔ ok / ✘ not)')
    .argument('<name>')
    .action((name: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const plan = await getDnsPlan(s.ctx, await s.actor(), name, { check: true });
        if (s.json) return s.printJson(plan);
        s.out(
          table(
            ['', 'TYPE', 'HOST', 'STATUS', 'HINT'],
            plan.records.map((r) => [
              r.status === 'ok' ? '✔' : '✘',
              r.type,
              r.host,
              r.status,
              r.hint,
            ]),
          ),
        );
        const failing = plan.records.filter((r) => r.status !== 'ok').length;
        s.out(
          failing === 0
            ? '✔ Every record is published as planned.'
            : `✘ ${failing} record(s) to fix.`,
        );
        if (failing > 0) throw new ExitCode(EXIT.failure);
      }),
    );

  domain
    .command('remove')
    .description('remove a domain that has no sub-domains or mailboxes')
    .argument('<name>')
    .action((name: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        await deleteDomain(s.ctx, await s.actor(), name);
        // Like the API's 204, --json prints nothing: the exit code says it worked.
        if (!s.json) s.out(`✔ Removed ${name.trim()}.`);
      }),
    );

  const subdomain = program.command('subdomain').description('sub-domains of a root domain');
  subdomain
    .command('add')
    .description(
      `add sub-domains: labels as arguments, or one per line on standard input (at most ${MAX_SUBDOMAIN_LABELS})`,
    )
    .argument('<parent>', 'the root domain, e.g. example.com')
    .argument('[labels...]', 'e.g. sales support')
    .action((parent: string, labels: string[], _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (s) => {
        const actor = await s.actor();
        let input: string | string[] = labels;
        if (labels.length === 0) {
          if (io.stdinIsTTY) io.stderr('Type one label per line, then press Ctrl-D:\n');
          input = await io.readStdin();
        }
        const result = await addSubdomains(s.ctx, actor, parent, { labels: input });
        if (s.json) s.printJson(result);
        else {
          for (const d of result.created) {
            s.out(`✔ ${displayName(d)} created`);
            warn(s, d);
          }
          for (const r of result.rejected) s.out(`✘ ${r.label} rejected: ${r.message} (${r.code})`);
          s.out(`${result.created.length} created, ${result.rejected.length} rejected.`);
        }
        // Partial success is success; only "nothing created, something refused" is a failure.
        if (result.created.length === 0 && result.rejected.length > 0)
          throw new ExitCode(EXIT.failure);
      }),
    );
}

/** Every line of the file a root domain; partial success is success, as for sub-domains. */
async function addFromFile(s: Session, io: CliIo, file: string): Promise<void> {
  if (file === '-' && io.stdinIsTTY) io.stderr('Type one domain per line, then press Ctrl-D:\n');
  const names = file === '-' ? await io.readStdin() : await readFile(file, 'utf8');
  const result = await addDomains(s.ctx, await s.actor(), { names });
  if (s.json) s.printJson(result);
  else {
    for (const d of result.created) {
      s.out(
        `✔ ${displayName(d)} added: publish TXT ${d.verification.host} "${d.verification.value}"`,
      );
      warn(s, d);
    }
    for (const r of result.rejected) s.out(`✘ ${r.name} rejected: ${r.message} (${r.code})`);
    s.out(`${result.created.length} added, ${result.rejected.length} rejected.`);
  }
  if (result.created.length === 0 && result.rejected.length > 0) throw new ExitCode(EXIT.failure);
}

const sizes = (opts: SizeOptions): SizeOptions => ({
  ...(opts.mailboxLimit === undefined ? {} : { mailboxLimit: opts.mailboxLimit }),
  ...(opts.quotaMb === undefined ? {} : { quotaMb: opts.quotaMb }),
});

/** A name that can pass for another (mixed scripts), said right where it is shown. */
function warn(s: { out(text: string): void }, d: Domain): void {
  for (const w of d.warnings) s.out(`⚠ ${w.message} (${w.code})\n`);
}

function verificationText(d: Domain): string {
  const v = d.verification;
  const owner = d.parent ? ` (shared with its root ${d.parent})` : '';
  const lines = [
    `Ownership record${owner}: publish at your DNS host`,
    `  Type:  ${v.type}`,
    `  Host:  ${v.host}`,
    `  Value: ${v.value}`,
  ];
  if (d.status !== 'verified')
    lines.push(`then run \`mailwright domain verify ${d.parent ?? d.name}\`.`);
  return `${lines.join('\n')}\n`;
}
