import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runWith } from '../cli/run-cli.js';

describe('mailwright mailstack', () => {
  const env = () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailwright-mailstack-cli-'));
    return {
      dataDir,
      env: {
        MAILWRIGHT_DATA_DIR: dataDir,
        MAILWRIGHT_DATABASE_URL: `sqlite:${join(dataDir, 'db', 'mailwright.db')}`,
        MAILWRIGHT_MAIL_HOST: 'mx.example.net',
      },
    };
  };

  it('renders the configuration into --out with the given ports', async () => {
    const { dataDir, env: e } = env();
    const out = join(dataDir, 'rendered');
    const run = await runWith(e, ['mailstack', 'render', '--out', out, '--imap-port', '2143']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`✔ ${join(out, 'postfix', 'main.cf')}`);
    const dovecot = readFileSync(join(out, 'dovecot', 'dovecot.conf'), 'utf8');
    expect(dovecot).toMatch(/inet_listener imap {\n {4}port = 2143\n/);
    expect(dovecot).toMatch(/^hostname = mx\.example\.net$/m);
    // Nothing where the servers would read it: only --out was written.
    expect(existsSync(join(dataDir, 'mail-plane', 'etc'))).toBe(false);
  });

  it('reports every server stopped before anything was started, and why OpenDKIM would refuse its keys', async () => {
    const { dataDir, env: e } = env();
    const run = await runWith(e, ['--json', 'mailstack', 'status']);
    expect(run.code, run.stderr).toBe(0);
    // Below /tmp, which everyone can write to: OpenDKIM would refuse every key.
    const problem = expect.stringMatching(
      /^OpenDKIM \(RequireSafeKeys\) refuses the DKIM keys: \/tmp can be written by every user/,
    );
    expect(run.json).toEqual({
      postfix: { running: false, pid: null },
      dovecot: { running: false, pid: null },
      opendkim: { running: false, pid: null },
      fromCheck: { running: false, pid: null },
      policy: { running: false, pid: null },
      postsrsd: { running: false, pid: null },
      syslogCatcher: { running: false, pid: null },
      signingKeys: { directory: `${dataDir}-dkim`, problem },
    });
    const text = await runWith(e, ['mailstack', 'status']);
    expect(text.stdout).toMatch(
      /^postfix {2}stopped\ndovecot {2}stopped\nopendkim stopped\nfrom-check stopped\npolicy {3}stopped\npostsrsd stopped\nkeys {5}✘ OpenDKIM \(RequireSafeKeys\) refuses the DKIM keys: \/tmp can be written by every user/,
    );

    const safe = await runWith(
      { ...e, MAILWRIGHT_DKIM_KEYS_DIR: '/var/lib/mailwright-tests/keys' },
      ['mailstack', 'status'],
    );
    expect(safe.stdout).toContain(
      'keys     /var/lib/mailwright-tests/keys (as OpenDKIM requires)\n',
    );
  });
});
