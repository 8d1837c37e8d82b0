import { execFileSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromCheckPaths } from '../../src/mailstack/from-check.js';
import { opendkimPaths, renderOpendkimConf } from '../../src/mailstack/opendkim.js';
import { renderMailPlane } from '../../src/mailstack/render.js';
import { mailPlaneSettings } from '../../src/mailstack/settings.js';
import { writeSigningKeys } from '../../src/mailstack/write-signing-keys.js';
import { addDomain } from '../../src/services/domains/add-domain.js';
import type { Actor, ServiceContext } from '../../src/services/context.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { findDomain, saveDnsCheck } from '../../src/store/domains.js';
import { rotateDkim } from '../../src/services/dns-records/rotate-dkim.js';
import { getDnsPlan } from '../../src/services/dns-records/get-dns-plan.js';
import { signingKeys } from '../../src/services/dns-records/signing-keys.js';
import { verifyDomain } from '../../src/services/domains/verify-domain.js';
import { testContext } from '../support/context.js';
import { DIALECTS, freshStore } from '../support/dialects.js';
import { mailDataDir } from '../support/mail-stack.js';

const settingsFor = (dataDir: string) =>
  mailPlaneSettings({
    databaseUrl: `sqlite:${join(dataDir, 'db', 'mailwright.db')}`,
    dataDir,
    mailHost: 'mx.example.net',
  });

describe('OpenDKIM configuration', () => {
  it('signs only on submission, and refuses to send unsigned when the signer is down', () => {
    const s = settingsFor('/var/lib/mailwright');
    const master = renderMailPlane(s).find((f) => f.path === 'postfix/master.cf')!.content;
    const submission = master.slice(master.indexOf('\n5870 '));
    const smtpRow = master.split('\n').find((l) => l.startsWith('2525 '))!;
    // The From check runs first so a forged header is refused before OpenDKIM signs it.
    expect(submission).toContain(
      `-o smtpd_milters=unix:${fromCheckPaths(s).socket},unix:${opendkimPaths(s).socket}`,
    );
    expect(submission).toContain('-o milter_default_action=tempfail');
    // Port 25 rows carry no -o lines and main.cf sets no milters: inbound mail is never signed.
    expect(master.slice(master.indexOf(smtpRow), master.indexOf('\n5870 '))).not.toMatch(/milter/);
    const main = renderMailPlane(s).find((f) => f.path === 'postfix/main.cf')!.content;
    expect(main).not.toMatch(/milters/);
  });

  it('points OpenDKIM at the rendered tables, its own socket and safe keys', () => {
    const s = settingsFor('/var/lib/mailwright');
    const conf = renderOpendkimConf(s).content;
    const p = opendkimPaths(s);
    expect(conf).toMatch(/^Mode s$/m);
    expect(conf).toContain(`KeyTable file:${p.keyTable}`);
    expect(conf).toContain(`SigningTable refile:${p.signingTable}`);
    expect(conf).toContain(`Socket local:${p.socket}`);
    expect(conf).toMatch(/^RequireSafeKeys yes$/m);
    expect(conf).toMatch(/^UserID opendkim$/m);
  });
});

describe('writing the signing keys', () => {
  const key = { domain: 'example.com', selector: 'mw202611', algorithm: 'rsa' as const };
  const root = { uid: 0, gid: 0, name: 'root' };
  const made: string[] = [];
  /** A data dir (and, after the test, its keys directory beside it) removed after the tests. */
  const dataDir = () => {
    const dir = mailDataDir('keys-');
    made.push(dir, `${dir}-dkim`);
    return dir;
  };
  afterAll(() => {
    for (const dir of made) rmSync(dir, { recursive: true, force: true });
  });

  it('writes keys only opendkim can read, tables naming them, and reports changes', async () => {
    const s = settingsFor(dataDir());
    const keys = [
      { ...key, privateKeyPem: 'PEM-1' },
      { ...key, domain: 'sales.example.com', privateKeyPem: 'PEM-2' },
      // OpenDKIM 2.11 cannot sign Ed25519 beside RSA: never handed to it.
      { ...key, selector: 'mw202611e', algorithm: 'ed25519' as const, privateKeyPem: 'PEM-3' },
    ];
    expect(await writeSigningKeys(s, keys, root)).toBe(true);
    const p = opendkimPaths(s);
    const keyFile = join(p.keys, 'mw202611.example.com.pem');
    expect(readFileSync(keyFile, 'utf8')).toBe('PEM-1');
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(p.keys).mode & 0o777).toBe(0o700);
    expect(readFileSync(p.keyTable, 'utf8')).toContain(
      `mw202611._domainkey.example.com example.com:mw202611:${keyFile}\n`,
    );
    const signing = readFileSync(p.signingTable, 'utf8');
    expect(signing).toContain('*@example.com mw202611._domainkey.example.com\n');
    expect(signing).toContain('*@sales.example.com mw202611._domainkey.sales.example.com\n');
    expect(signing).not.toContain('mw202611e');
    expect(() => statSync(join(p.keys, 'mw202611e.example.com.pem'))).toThrow();

    expect(await writeSigningKeys(s, keys, root)).toBe(false);
    expect(await writeSigningKeys(s, keys.slice(0, 1), root)).toBe(true);
    expect(readFileSync(p.signingTable, 'utf8')).not.toContain('sales.example.com');
    expect(() => statSync(join(p.keys, 'mw202611.sales.example.com.pem'))).toThrow();
  });

  it('keeps the keys beside the data dir, not in it, so its owner does not matter', async () => {
    const data = dataDir();
    const s = settingsFor(data);
    expect(opendkimPaths(s).keys).toBe(`${data}-dkim`);
    // The data dir belongs to the API's account, as docs/deployment.md §3 says.
    expect(statSync(data).uid).not.toBe(0);
    expect(await writeSigningKeys(s, [{ ...key, privateKeyPem: 'PEM' }], root)).toBe(true);
    expect(statSync(join(`${data}-dkim`, 'mw202611.example.com.pem')).mode & 0o777).toBe(0o600);
  });

  it('refuses keys below a directory OpenDKIM would refuse, naming it and the fix', async () => {
    const data = dataDir();
    const inside = mailPlaneSettings({
      databaseUrl: `sqlite:${join(data, 'db', 'mailwright.db')}`,
      dataDir: data,
      mailHost: 'mx.example.net',
      dkimKeysDir: join(data, 'dkim'),
    });
    const [, , uid, gid] = execFileSync('getent', ['passwd', 'opendkim'], {
      encoding: 'utf8',
    }).split(':');
    const opendkim = { uid: Number(uid), gid: Number(gid), name: 'opendkim' };
    const refused = writeSigningKeys(inside, [{ ...key, privateKeyPem: 'PEM' }], opendkim);
    await expect(refused).rejects.toThrow(
      `${data} can be written by its owner, uid ${statSync(data).uid} (mailwright), neither root nor opendkim`,
    );
    await expect(refused).rejects.toThrow(/MAILWRIGHT_DKIM_KEYS_DIR/);
    expect(() => statSync(join(data, 'dkim', 'mw202611.example.com.pem'))).toThrow();

    const tmp = mkdtempSync(join(tmpdir(), 'mailwright-keys-'));
    await expect(
      writeSigningKeys(settingsFor(join(tmp, 'data')), [{ ...key, privateKeyPem: 'PEM' }], root),
    ).rejects.toThrow(/refuses the DKIM keys: \/tmp can be written by every user/);
  });
});

for (const dialect of DIALECTS) {
  describe(`which keys sign, on ${dialect}`, () => {
    let ctx: ServiceContext;
    let actor: Actor;
    let drop: () => Promise<void>;
    let now = new Date('2026-11-25T10:00:00Z');
    const later = (minutes: number) => {
      now = new Date(now.getTime() + minutes * 60_000);
      return now;
    };

    beforeAll(async () => {
      const fresh = await freshStore(dialect);
      drop = fresh.drop;
      ctx = testContext(fresh.store, { clock: () => now });
      const account = await createAccount(ctx, { name: 'signer', actor: 'test' });
      actor = { accountId: account.id, name: 'test' };
      await addDomain(ctx, actor, { name: 'example.com' });
      await verifyDomain(ctx, actor, 'example.com', { manual: true });
    });
    afterAll(async () => drop());

    const signing = async () =>
      (await signingKeys(ctx)).map((k) => `${k.domain} ${k.algorithm} ${k.selector}`);
    const check = async (failingHosts: string[]) => {
      const domain = (await findDomain(ctx.store.db, actor.accountId, 'example.com'))!;
      await saveDnsCheck(ctx.store.db, domain.id, {
        at: later(1).toISOString(),
        failing: failingHosts.map((host) => ({ type: 'TXT', host, status: 'missing', hint: '' })),
      });
    };

    it('signs with a new hostname’s first RSA key at once, unsealed', async () => {
      const [first] = await signingKeys(ctx);
      expect(first).toMatchObject({
        domain: 'example.com',
        algorithm: 'rsa',
        selector: 'mw202611',
      });
      expect(createPublicKey(first!.privateKeyPem).asymmetricKeyType).toBe('rsa');
    });

    it('keeps the old selector after a rotation until a check sees the new record', async () => {
      later(5);
      await rotateDkim(ctx, actor, 'example.com');
      await rotateDkim(ctx, actor, 'example.com', { algorithm: 'ed25519' });
      expect(await signing()).toEqual(['example.com rsa mw202611']);

      await check(['mw202611b._domainkey.example.com']);
      expect(await signing()).toEqual([
        'example.com ed25519 mw202611e',
        'example.com rsa mw202611',
      ]);

      await check([]);
      expect(await signing()).toEqual([
        'example.com ed25519 mw202611e',
        'example.com rsa mw202611b',
      ]);
    });

    it('never signs with the key of a pending claim on a name another account verified', async () => {
      await addDomain(ctx, actor, { name: 'victim.com' });
      await verifyDomain(ctx, actor, 'victim.com', { manual: true });
      const owners = (await getDnsPlan(ctx, actor, 'victim.com')).records.find((r) =>
        r.host.endsWith('._domainkey.victim.com'),
      )!;
      // A later claim of another account, whose newer key a live check has "seen".
      later(1);
      const rival = await createAccount(ctx, { name: 'rival', actor: 'test' });
      const rivalActor = { accountId: rival.id, name: 'test' };
      await addDomain(ctx, rivalActor, { name: 'victim.com' });
      const claim = (await findDomain(ctx.store.db, rival.id, 'victim.com'))!;
      await saveDnsCheck(ctx.store.db, claim.id, { at: later(1).toISOString(), failing: [] });

      const signer = (await signingKeys(ctx)).filter((k) => k.domain === 'victim.com');
      expect(signer).toHaveLength(1);
      const publicKey = createPublicKey(signer[0]!.privateKeyPem)
        .export({ type: 'spki', format: 'der' })
        .toString('base64');
      expect(owners.value).toContain(`p=${publicKey}`);
    });
  });
}
