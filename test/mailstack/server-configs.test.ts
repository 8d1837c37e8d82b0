import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  dovecotConfigFile,
  postfixDir,
  renderMailPlane,
  RETIRED_FILES,
} from '../../src/mailstack/render.js';
import { mailPlaneSettings } from '../../src/mailstack/settings.js';
import { writeConfig } from '../../src/mailstack/write-config.js';

const run = promisify(execFile);

/**
 * The real servers' own parsers read what Mailwright renders. postconf and doveconf come with
 * the postfix and dovecot-core packages that scripts/install-test-deps.sh installs; a machine
 * without them fails here rather than skipping, so CI cannot pass without this check.
 */
describe.each([
  ['sqlite', 'sqlite:/var/lib/mailwright/mailwright.db'],
  ['postgres', 'postgres://mw:s3cret@127.0.0.1:5432/mail?options=-c%20search_path%3Dtenant_a'],
])('the rendered %s configuration', (_, databaseUrl) => {
  const render = async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mailwright-mailstack-'));
    const settings = mailPlaneSettings({ databaseUrl, dataDir, mailHost: 'mx.example.net' });
    await writeConfig(settings.dirs.config, renderMailPlane(settings));
    return settings;
  };

  it('is read by postconf without a warning', async () => {
    const dir = postfixDir(await render());
    for (const flag of ['-n', '-M', '-P']) {
      const { stdout, stderr } = await run('postconf', ['-c', dir, flag]);
      expect(stderr).toBe('');
      expect(stdout).not.toBe('');
    }
    const { stdout } = await run('postconf', ['-c', dir, '-h', 'virtual_mailbox_maps']);
    expect(stdout.trim()).toMatch(/^(sqlite|proxy:pgsql):\/.*\/mail_users\.cf$/);
  });

  it("asks the recipient access table only for whole addresses, as Postfix's own table code reads it", async () => {
    const dir = postfixDir(await render());
    const { stdout } = await run('postconf', ['-c', dir, '-h', 'smtpd_recipient_restrictions']);
    const access = /check_recipient_access (pipemap:\{.*\}), reject_unlisted_recipient$/.exec(
      stdout.trim(),
    )?.[1];
    expect(access).toMatch(/mail_recipient_access\.cf\}$/);
    // The same pipeline ending in a table that answers any key it is given.
    const probe = access!.replace(/, [^,]*mail_recipient_access\.cf\}$/, ', static:{asked}}');
    const lookup = async (key: string) =>
      (
        await run('postmap', ['-c', dir, '-q', key, probe]).catch(() => ({ stdout: '' }))
      ).stdout.trim();
    expect(await lookup('josh@example.com')).toBe('asked');
    for (const key of ['example.com', 'com', 'josh@', '@example.com']) {
      expect(await lookup(key), key).toBe('');
    }
  });

  it('removes the files earlier versions rendered when it renders again', async () => {
    const settings = await render();
    const stale = join(settings.dirs.config, RETIRED_FILES[0]!);
    writeFileSync(stale, 'password = old\n');
    await writeConfig(settings.dirs.config, renderMailPlane(settings), RETIRED_FILES);
    expect(existsSync(stale)).toBe(false);
  });

  it('is read by doveconf', async () => {
    const { stdout, stderr } = await run('doveconf', [
      '-c',
      dovecotConfigFile(await render()),
      '-n',
    ]);
    expect(stderr).toBe('');
    expect(stdout).toMatch(
      // doveconf hides the cache key's %-variable (#hidden_use-P_to_show#).
      /^passdb {\n {2}args = file=\/.*mailbox-passdb\.lua blocking=yes cache_key=\S+\n {2}driver = lua\n}/m,
    );
    expect(stdout).toMatch(/^lmtp_rcpt_check_quota = yes$/m);
  });

  it("hands quota-status its mail settings and none of the master's service blocks", async () => {
    const conf = readFileSync(dovecotConfigFile(await render()), 'utf8');
    const command = /^service quota-status {\n {2}executable = (.*)$/m.exec(conf)?.[1];
    // The service's own command, with `env` in quota-status's place to print what it is handed.
    const [bin, ...args] = command!
      .replace(/-e \S+\/quota-status -p postfix$/, '-e env')
      .split(' ');
    const { stdout, stderr } = await run(bin!, args, { env: {} });
    expect(stderr).toBe('');
    const settings = stdout.split('\n').filter((l) => l !== '');
    expect(settings).toContain('PLUGIN/QUOTA=maildir:User quota');
    expect(settings).toContain('PLUGIN/QUOTA_STATUS_OVERQUOTA=552 5.2.2 Mailbox is full');
    expect(settings).toContain('PLUGIN/QUOTA_GRACE=0');
    expect(settings).toContain('MAIL_LOCATION=maildir:~/Maildir');
    expect(settings).toContain('NAMESPACE/INBOX/INBOX=yes');
    // quota-status parses every variable for each recipient; 370 of them with the services.
    expect(settings.filter((l) => l.startsWith('SERVICE'))).toEqual([]);
    expect(settings.length).toBeLessThan(50);
  });
});
