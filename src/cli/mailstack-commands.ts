import { resolve } from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../app/config.js';
import {
  down,
  mailPlaneSettingsFor,
  renderConfig,
  startMailPlane,
  status,
  syncSigningKeys,
  type MailPlaneSettings,
  type StackStatus,
} from '../app/mail-plane.js';
import { runPolicyServer } from '../app/policy-server.js';
import { numberArg } from './args.js';
import { isJson, withSession } from './session.js';
import type { CliIo } from './io.js';

/**
 * The listen addresses and ports of the mail plane. They come from the env file
 * (MAILWRIGHT_MAIL_LISTEN and one port variable per listener), so the units and `status` or
 * `doctor` agree without them; an option overrides its variable for one run.
 */
export const withStackOptions = (cmd: Command): Command =>
  cmd
    .option('--listen <addresses>', 'addresses to bind, comma-separated (MAILWRIGHT_MAIL_LISTEN)')
    .option('--smtp-port <port>', 'inbound SMTP port (MAILWRIGHT_MAIL_SMTP_PORT)', numberArg)
    .option(
      '--submission-port <port>',
      'submission port (MAILWRIGHT_MAIL_SUBMISSION_PORT)',
      numberArg,
    )
    .option(
      '--submissions-port <port>',
      'submission over implicit TLS, with MAILWRIGHT_MAIL_TLS_CERT/KEY set (MAILWRIGHT_MAIL_SUBMISSIONS_PORT)',
      numberArg,
    )
    .option('--imap-port <port>', 'IMAP port (MAILWRIGHT_MAIL_IMAP_PORT)', numberArg)
    .option(
      '--imaps-port <port>',
      'IMAPS port, with MAILWRIGHT_MAIL_TLS_CERT/KEY set (MAILWRIGHT_MAIL_IMAPS_PORT)',
      numberArg,
    );

export function stackSettings(io: CliIo, opts: StackOptions): MailPlaneSettings {
  return mailPlaneSettingsFor(loadConfig(io.env), {
    ...(opts.listen ? { listen: opts.listen } : {}),
    ports: {
      ...(opts.smtpPort !== undefined ? { smtp: opts.smtpPort } : {}),
      ...(opts.submissionPort !== undefined ? { submission: opts.submissionPort } : {}),
      ...(opts.imapPort !== undefined ? { imap: opts.imapPort } : {}),
      ...(opts.imapsPort !== undefined ? { imaps: opts.imapsPort } : {}),
      ...(opts.submissionsPort !== undefined ? { submissions: opts.submissionsPort } : {}),
    },
  });
}

export interface StackOptions {
  listen?: string;
  smtpPort?: number;
  submissionPort?: number;
  imapPort?: number;
  imapsPort?: number;
  submissionsPort?: number;
}

/**
 * `mailwright mailstack …`: the private Postfix, Dovecot and OpenDKIM instances serving
 * Mailwright's mailboxes (docs/mail-plane.md), configured from MAILWRIGHT_DATABASE_URL,
 * MAILWRIGHT_DATA_DIR, MAILWRIGHT_MAIL_HOST and MAILWRIGHT_DKIM_KEYS_DIR. Only `up` and `sync`
 * open the database: to unseal the DKIM keys the signer needs (MAILWRIGHT_SECRET_KEY).
 */
export function registerMailstackCommands(program: Command, io: CliIo): void {
  const mailstack = program
    .command('mailstack')
    .description('the mail servers (Postfix, Dovecot, OpenDKIM) reading Mailwright’s database');

  const settings = (opts: StackOptions): MailPlaneSettings => stackSettings(io, opts);

  const print = (cmd: Command, s: MailPlaneSettings, st: StackStatus) => {
    if (isJson(cmd)) {
      io.stdout(`${JSON.stringify(st, null, 2)}\n`);
      return;
    }
    const line = (name: string, p: StackStatus['postfix']) =>
      `${name.padEnd(8)} ${p.running ? `running (pid ${p.pid})` : 'stopped'}\n`;
    const keys = st.signingKeys;
    io.stdout(
      line('postfix', st.postfix) +
        line('dovecot', st.dovecot) +
        line('opendkim', st.opendkim) +
        line('from-check', st.fromCheck) +
        line('policy', st.policy) +
        line('postsrsd', st.postsrsd) +
        `${'keys'.padEnd(8)} ${keys.problem === null ? `${keys.directory} (as OpenDKIM requires)` : `✘ ${keys.problem}`}\n`,
    );
    if (st.postfix.running || st.dovecot.running || st.opendkim.running) {
      io.stdout(
        `SMTP ${s.listen}:${s.ports.smtp}, submission ${s.ports.submission}, IMAP ${s.ports.imap}${s.tls ? `, submissions ${s.ports.submissions}, IMAPS ${s.ports.imaps}` : ' (no TLS: set MAILWRIGHT_MAIL_TLS_CERT/KEY)'}; logs in ${s.dirs.log}\n`,
      );
    }
  };

  withStackOptions(
    mailstack
      .command('render')
      .description(
        'write the Postfix and Dovecot configuration (default: where the servers read it)',
      )
      .option('--out <dir>', 'write into this directory instead'),
  ).action(async (opts: StackOptions & { out?: string }, cmd: Command) => {
    const s = settings(opts);
    const written = await renderConfig(s, opts.out ? resolve(opts.out) : s.dirs.config);
    if (isJson(cmd)) io.stdout(`${JSON.stringify({ files: written }, null, 2)}\n`);
    else io.stdout(written.map((f) => `✔ ${f}\n`).join(''));
  });

  withStackOptions(
    mailstack
      .command('up')
      .description(
        'render the configuration, write the signing keys and start the servers (as root)',
      ),
  ).action(async (opts: StackOptions, cmd: Command) => {
    const s = settings(opts);
    await withSession(io, cmd, async ({ ctx }) =>
      print(cmd, s, await startMailPlane(ctx, s, io.env)),
    );
  });

  withStackOptions(
    mailstack
      .command('sync')
      .description(
        'rewrite OpenDKIM’s keys from the database and reload it if they changed (as root; run after adding hostnames or rotating keys, or from a timer)',
      ),
  ).action(async (opts: StackOptions, cmd: Command) => {
    const s = settings(opts);
    await withSession(io, cmd, async ({ ctx }) => {
      const { changed, keys } = await syncSigningKeys(ctx, s);
      if (isJson(cmd)) io.stdout(`${JSON.stringify({ changed, keys }, null, 2)}\n`);
      else
        io.stdout(
          `${changed ? '✔ signing keys updated' : 'signing keys unchanged'} (${keys} keys)\n`,
        );
    });
  });

  mailstack
    .command('policy-server')
    .description(
      'serve the sending limits to Postfix on the mail plane’s policy socket, and record app passwords’ use from Dovecot’s login reports (`up` starts it)',
    )
    .option(
      '--auth-policy-port <port>',
      'the 127.0.0.1 port Dovecot reports logins to (`up` passes the one it rendered)',
      numberArg,
    )
    .action(async (opts: { authPolicyPort?: number }) => {
      const config = loadConfig(io.env as NodeJS.ProcessEnv);
      const ports = opts.authPolicyPort === undefined ? {} : { authPolicy: opts.authPolicyPort };
      await runPolicyServer(config, mailPlaneSettingsFor(config, { ports }));
    });

  withStackOptions(mailstack.command('down').description('stop the servers')).action(
    async (opts: StackOptions, cmd: Command) => {
      const s = settings(opts);
      print(cmd, s, await down(s));
    },
  );

  withStackOptions(
    mailstack.command('status').description('whether each server is running'),
  ).action(async (opts: StackOptions, cmd: Command) => {
    const s = settings(opts);
    print(cmd, s, await status(s));
  });
}
