import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { nextDkimSelector } from '../../src/core/dkim-key.js';
import { planRecords, type PlannedDomain } from '../../src/core/dns-plan.js';
import { dnsRecordsCsv } from '../../src/core/dns-records-csv.js';
import { checkRootDomain } from '../../src/core/hostname.js';
import { checkSubdomainLabel } from '../../src/core/subdomain-label.js';
import { checkTrackingTarget } from '../../src/core/tracking-cname.js';

const RUNS = 500;
// A spreadsheet runs a cell starting with one of these as a formula.
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Host names made of labels that often start with a character a spreadsheet reads as the start
 * of a formula, beside the usual ones, so that many attempts to put one first reach the checks.
 */
const label = fc
  .array(
    fc.constantFrom(
      'a',
      'z',
      '0',
      '9',
      'mx',
      'mail',
      'example',
      'bücher',
      'xn--',
      '-',
      '_',
      '=',
      '+',
      '@',
      '\t',
      '\r',
      ' ',
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((p) => p.join(''));
const suffix = fc.constantFrom('com', 'net', 'org', 'co.uk', 'de', '-com', '=net', '@org');
const hostish = fc
  .tuple(fc.array(label, { maxLength: 3 }), suffix)
  .map(([labels, last]) => [...labels, last].join('.'));
/** A name one label above its public suffix, as a root domain must be. */
const rootish = fc.tuple(label, suffix).map(([first, last]) => `${first}.${last}`);

/** What the configuration loader makes of one variable, or undefined when it refuses it. */
function configured<T>(
  variable: string,
  value: string | null,
  pick: (c: ReturnType<typeof loadConfig>) => T,
) {
  if (value === null) return undefined;
  try {
    return pick(loadConfig({ MAILWRIGHT_MAIL_HOST: 'mx.example.net', [variable]: value }));
  } catch {
    return undefined;
  }
}

/**
 * The every-record CSV of the DNS export (records.csv) writes values as they are, since a
 * record defused with a leading ' would be a wrong record. That is safe only because no planned
 * record's host or value can start like a formula, whatever a customer or operator enters that
 * passes its check: domain names, sub-domain labels, tracking targets, the mail host, the web
 * address, SPF includes and the DMARC report address. Inputs the checks refuse never reach a
 * plan, so they are replaced here by a valid default.
 */
describe('the DNS export CSV', () => {
  it('never holds a cell that starts like a formula, for any input its checks accept', () => {
    fc.assert(
      fc.property(
        rootish,
        fc.option(label),
        fc.option(hostish),
        hostish,
        fc.option(hostish),
        fc.option(fc.ipV4()),
        fc.option(fc.ipV6()),
        fc.option(fc.array(hostish, { maxLength: 3 }).map((a) => a.join(','))),
        fc.option(fc.tuple(label, hostish).map(([local, host]) => `mailto:${local}@${host}`)),
        fc.boolean(),
        fc.stringMatching(/^[A-Za-z0-9_-]{24}$/),
        fc.base64String({ minLength: 4, maxLength: 64 }),
        fc.date({ min: new Date('2020-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        (
          rootInput,
          labelInput,
          trackingInput,
          mailHostInput,
          webCnameInput,
          ipv4,
          ipv6,
          spfInput,
          ruaInput,
          redirected,
          token,
          publicKey,
          now,
        ) => {
          const rootChecked = checkRootDomain(rootInput);
          const root = rootChecked.ok ? rootChecked.value.name : 'example.com';
          const sub = labelInput === null ? undefined : checkSubdomainLabel(labelInput, root);
          const tracking = trackingInput === null ? undefined : checkTrackingTarget(trackingInput);
          const settings = loadConfig({ MAILWRIGHT_MAIL_HOST: 'mx.example.net' }).dnsSettings;
          settings.mailHost =
            configured('MAILWRIGHT_MAIL_HOST', mailHostInput, (c) => c.dnsSettings.mailHost) ??
            settings.mailHost;
          settings.spfIncludes =
            configured('MAILWRIGHT_SPF_INCLUDES', spfInput, (c) => c.dnsSettings.spfIncludes) ?? [];
          const rua = configured('MAILWRIGHT_DMARC_RUA', ruaInput, (c) => c.dnsSettings.dmarcRua);
          if (rua !== undefined) settings.dmarcRua = rua;
          settings.web = {
            ...configured('MAILWRIGHT_WEB_CNAME', webCnameInput, (c) => c.dnsSettings.web),
            ...configured('MAILWRIGHT_WEB_IPV4', ipv4, (c) => c.dnsSettings.web),
            ...configured('MAILWRIGHT_WEB_IPV6', ipv6, (c) => c.dnsSettings.web),
          };
          const rootDomain: PlannedDomain = {
            name: root,
            kind: 'root',
            parentName: null,
            verificationToken: token,
            redirectTo: redirected ? 'https://www.example.org/' : null,
            trackingCname: tracking?.ok ? tracking.value : null,
          };
          const domains = [rootDomain];
          if (sub?.ok) {
            domains.push({
              name: sub.value,
              kind: 'subdomain',
              parentName: root,
              verificationToken: token,
            });
          }
          const dkim = (['rsa', 'ed25519'] as const).map((algorithm) => ({
            selector: nextDkimSelector(algorithm, now, [])!,
            algorithm,
            publicKeyBase64: publicKey,
          }));
          const csv = dnsRecordsCsv(
            domains.map((d) => ({ name: d.name, records: planRecords(d, settings, dkim) })),
          );
          const rows = parse(csv, { relax_column_count: false }) as string[][];
          expect(rows.length).toBeGreaterThan(1);
          for (const row of rows) {
            for (const cell of row) expect(cell, JSON.stringify(row)).not.toMatch(FORMULA_START);
          }
        },
      ),
      { numRuns: RUNS },
    );
  });
});
