import type { Command } from 'commander';
import { reloadMailServersIfStale, withChallengeResponder } from '../app/certificates.js';
import { loadConfig } from '../app/config.js';
import { RENEW_DAYS_BEFORE_EXPIRY } from '../core/certificates.js';
import {
  checkCertificateName,
  requireWebRedirect,
  webDomain,
} from '../services/certificates/certificate-names.js';
import { issueCertificate } from '../services/certificates/issue-certificate.js';
import { issueWebCertificates } from '../services/certificates/issue-web-certificates.js';
import {
  listCertificates,
  type CertificateStatus,
} from '../services/certificates/list-certificates.js';
import { renewDueCertificates } from '../services/certificates/renew-due-certificates.js';
import { EXIT, ExitCode } from './errors.js';
import type { CliIo } from './io.js';
import { withSession, type Session } from './session.js';

/**
 * `mailwright cert issue|status|renew`: the host's own certificates from the ACME CA, stored
 * under `<data dir>/certs/<name>/`. Run as root: the mail servers are reloaded after the mail
 * host's certificate changes.
 */
export function registerCertCommands(program: Command, io: CliIo): void {
  const cert = program
    .command('cert')
    .description(
      `certificates from the ACME CA, one per name, renewed ${RENEW_DAYS_BEFORE_EXPIRY} days before expiry (docs/deployment.md)`,
    );
  const line = (c: CertificateStatus) =>
    `${c.name}  valid until ${c.notAfter} (${c.daysLeft} days left${c.renewalDue ? ', renewal due' : ''})`;
  const reload = async (session: Session) => {
    const reloaded = await reloadMailServersIfStale(loadConfig(io.env));
    if (reloaded.length > 0 && !session.json) session.out(`reloaded ${reloaded.join(' and ')}`);
  };

  cert
    .command('issue')
    .description(
      'obtain certificates now: the mail host by default, or mta-sts.<domain> of verified domains, or <domain> and www.<domain> of verified root domains with a web redirect (needs MAILWRIGHT_HTTP_LISTEN reachable on port 80)',
    )
    .argument('[names...]', 'host names, e.g. mta-sts.example.com, www.example.com')
    .action(async (names: string[], _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (session) => {
        const config = loadConfig(io.env);
        const wanted = names.length > 0 ? names : [config.dnsSettings.mailHost];
        // Every name refused before port 80 is taken and the CA asked.
        for (const name of wanted) await checkCertificateName(session.ctx, name);
        const issued = await withChallengeResponder(config, async () => {
          const done: CertificateStatus[] = [];
          for (const name of wanted) done.push(await issueCertificate(session.ctx, name));
          return done;
        });
        await reload(session);
        if (session.json) session.printJson(issued);
        else for (const c of issued) session.out(`✔ ${line(c)}`);
      }),
    );

  cert
    .command('web')
    .description(
      'obtain the certificates of <domain> and www.<domain>, the hosts a verified root domain with a web redirect (--redirect-to) answers; each name on its own',
    )
    .argument('<domain>', 'a verified root domain with a web redirect, e.g. example.com')
    .action(async (domain: string, _opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (session) => {
        const config = loadConfig(io.env);
        requireWebRedirect(await webDomain(session.ctx, domain));
        const outcome = await withChallengeResponder(config, () =>
          issueWebCertificates(session.ctx, domain),
        );
        if (session.json) session.printJson(outcome);
        else {
          for (const c of outcome.issued) session.out(`✔ ${line(c)}`);
          for (const f of outcome.failed) session.out(`✘ ${f.name}: ${f.message}`);
        }
        if (outcome.failed.length > 0) throw new ExitCode(EXIT.failure);
      }),
    );

  cert
    .command('status')
    .description('the stored certificates, their expiry and whether renewal is due')
    .action(async (_opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (session) => {
        const all = await listCertificates(session.ctx);
        if (session.json) session.printJson(all);
        else if (all.length === 0) session.out('no certificates yet: mailwright cert issue');
        else for (const c of all) session.out(line(c));
      }),
    );

  cert
    .command('renew')
    .description(
      `renew every certificate within ${RENEW_DAYS_BEFORE_EXPIRY} days of expiry and reload the mail servers (daily, as root, from a timer)`,
    )
    .action(async (_opts: unknown, cmd: Command) =>
      withSession(io, cmd, async (session) => {
        const config = loadConfig(io.env);
        const due = (await listCertificates(session.ctx)).some((c) => c.renewalDue);
        const outcome = due
          ? await withChallengeResponder(config, () => renewDueCertificates(session.ctx))
          : { renewed: [], failed: [], skipped: [] };
        await reload(session);
        if (session.json) session.printJson(outcome);
        else {
          for (const name of outcome.renewed) session.out(`✔ renewed ${name}`);
          for (const f of outcome.failed) session.out(`✘ ${f.name}: ${f.message}`);
          for (const s of outcome.skipped) {
            session.out(`- ${s.name} not renewed, no longer served: ${s.reason}`);
          }
          if (!due) session.out('nothing due for renewal');
        }
        if (outcome.failed.length > 0) throw new ExitCode(EXIT.failure);
      }),
    );
}
