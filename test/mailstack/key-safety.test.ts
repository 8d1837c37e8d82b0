import { describe, expect, it } from 'vitest';
import { unsafeKeyPath, type Accounts, type PathNode } from '../../src/mailstack/key-safety.js';

const opendkim = { uid: 109, name: 'opendkim' };
const accounts: Accounts = {
  users: [
    { name: 'root', uid: 0, gid: 0 },
    { name: 'postfix', uid: 108, gid: 115 },
    { name: 'opendkim', uid: 109, gid: 117 },
    { name: 'mailwright', uid: 995, gid: 995 },
  ],
  groups: [
    { name: 'root', gid: 0, members: [] },
    { name: 'postfix', gid: 115, members: [] },
    { name: 'opendkim', gid: 117, members: ['postfix'] },
    { name: 'mailwright', gid: 995, members: [] },
    { name: 'dkim-only', gid: 2000, members: ['opendkim', 'root'] },
  ],
};

const dir = (path: string, mode: number, uid = 0, gid = 0): PathNode => ({
  path,
  uid,
  gid,
  mode,
  directory: true,
});
const file = (path: string, mode: number, uid = 109, gid = 117): PathNode => ({
  path,
  uid,
  gid,
  mode,
  directory: false,
});
const root = [dir('/', 0o755), dir('/var', 0o755), dir('/var/lib', 0o755)];
const keys = dir('/var/lib/mailwright-dkim', 0o700, 109, 117);
const key = file('/var/lib/mailwright-dkim/mw1.example.com.pem', 0o600);

describe("OpenDKIM's RequireSafeKeys rule", () => {
  it('accepts keys of the signer below root-owned directories writable by root only', () => {
    expect(unsafeKeyPath([...root, keys, key], opendkim, accounts)).toBeNull();
  });

  it("refuses the documented data dir's owner above the keys, as OpenDKIM did in production", () => {
    const chain = [
      ...root,
      dir('/var/lib/mailwright', 0o751, 995, 995),
      dir('/var/lib/mailwright/mail-plane', 0o755),
      { ...keys, path: '/var/lib/mailwright/mail-plane/keys' },
    ];
    const problem = unsafeKeyPath(chain, opendkim, accounts);
    expect(problem).toContain(
      '/var/lib/mailwright can be written by its owner, uid 995 (mailwright), neither root nor opendkim (uid 109)',
    );
    expect(problem).toContain('451 4.7.1');
    expect(problem).toContain('chown root /var/lib/mailwright && chmod go-w /var/lib/mailwright');
    expect(problem).toContain('MAILWRIGHT_DKIM_KEYS_DIR');
  });

  it('accepts a directory of another owner that nobody but root can write to', () => {
    expect(
      unsafeKeyPath([...root, dir('/srv', 0o555, 995, 995), keys, key], opendkim, accounts),
    ).toBeNull();
  });

  it('refuses a world-writable directory, sticky or not', () => {
    expect(unsafeKeyPath([dir('/', 0o755), dir('/tmp', 0o1777), keys], opendkim, accounts)).toMatch(
      /\/tmp can be written by every user/,
    );
  });

  it('refuses a group-writable directory when the group has anyone but root and the signer', () => {
    // postfix's primary group.
    expect(unsafeKeyPath([...root, dir('/srv', 0o775, 0, 115), keys], opendkim, accounts)).toMatch(
      /\/srv can be written by its group 115, which has other members \(e\.g\. postfix\)/,
    );
    // opendkim's group, which lists postfix as a member.
    expect(unsafeKeyPath([...root, dir('/srv', 0o775, 0, 117), keys], opendkim, accounts)).toMatch(
      /which has other members \(e\.g\. postfix\)/,
    );
    // A group of the signer and root only is fine.
    expect(
      unsafeKeyPath([...root, dir('/srv', 0o775, 0, 2000), keys, key], opendkim, accounts),
    ).toBeNull();
  });

  it('refuses key files of another owner, or readable by a shared group or by everyone', () => {
    expect(
      unsafeKeyPath([...root, keys, file(key.path, 0o600, 995, 995)], opendkim, accounts),
    ).toMatch(
      /mw1\.example\.com\.pem belongs to uid 995 \(mailwright\), neither root nor opendkim/,
    );
    expect(unsafeKeyPath([...root, keys, file(key.path, 0o640)], opendkim, accounts)).toMatch(
      /can be read or written by its group 117, which has other members \(e\.g\. postfix\)/,
    );
    expect(unsafeKeyPath([...root, keys, file(key.path, 0o604)], opendkim, accounts)).toMatch(
      /can be read or written by every user/,
    );
    expect(
      unsafeKeyPath([...root, keys, file(key.path, 0o400, 0, 0)], opendkim, accounts),
    ).toBeNull();
  });

  it('refuses a directory the signer cannot pass through', () => {
    expect(unsafeKeyPath([...root, dir('/srv', 0o750, 0, 0), keys], opendkim, accounts)).toMatch(
      /OpenDKIM, running as opendkim, cannot reach its DKIM keys: \/srv does not let it through/,
    );
    expect(
      unsafeKeyPath([...root, dir('/srv', 0o750, 0, 2000), keys, key], opendkim, accounts),
    ).toBeNull();
  });
});
