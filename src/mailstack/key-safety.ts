import { execFile } from 'node:child_process';
import { readdir, realpath, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * OpenDKIM's RequireSafeKeys rule, applied before OpenDKIM meets the keys. OpenDKIM 2.11
 * (`dkimf_securefile` / `dkimf_checkfsnode` in opendkim.c) checks a key at the moment it signs
 * with it, as the user it runs as, walking every directory from `/` down the key file's real
 * path. When a node fails, it refuses the key, says why in syslog only (it has no other log),
 * and Postfix, with `milter_default_action=tempfail`, answers every submission
 * "451 4.7.1 Service unavailable". `up` and `sync` refuse such a layout and `status` reports it,
 * with the directory at fault and the fix, instead.
 */

/** One node of a key's path, as stat(2) reports it. */
export interface PathNode {
  path: string;
  uid: number;
  gid: number;
  /** The permission bits (`st_mode & 0o7777`). */
  mode: number;
  directory: boolean;
}

/** The user OpenDKIM runs as (its `UserID`). */
export interface Signer {
  uid: number;
  name: string;
}

/** The account databases OpenDKIM consults for group-writable nodes. */
export interface Accounts {
  users: { name: string; uid: number; gid: number }[];
  groups: { name: string; gid: number; members: string[] }[];
}

const SUPERUSER = 'root';

/**
 * The first node of `chain` (ordered from `/` down) that makes OpenDKIM refuse the keys below
 * it, as a sentence naming it and the fix; null when OpenDKIM accepts them. The checks are
 * OpenDKIM's, in its order: a directory must not be world-writable, nor group-writable by a
 * group someone besides root and the signer belongs to, nor writable by an owner other than root
 * and the signer; a key file must be root's or the signer's, readable or writable by no shared
 * group and by nobody else. One check is ours: the signer must be able to pass through every
 * directory, or it cannot open the key at all.
 */
export function unsafeKeyPath(
  chain: readonly PathNode[],
  signer: Signer,
  accounts: Accounts,
): string | null {
  const trusted = (uid: number) => uid === 0 || uid === signer.uid;
  const otherMember = (gid: number): string | undefined =>
    accounts.users.find((u) => u.gid === gid && !trusted(u.uid))?.name ??
    accounts.groups
      .find((g) => g.gid === gid)
      ?.members.find((m) => m !== signer.name && m !== SUPERUSER);
  const inGroup = (gid: number) =>
    accounts.users.some((u) => u.uid === signer.uid && u.gid === gid) ||
    accounts.groups.some((g) => g.gid === gid && g.members.includes(signer.name));
  const ownerName = (uid: number) => accounts.users.find((u) => u.uid === uid)?.name ?? 'no user';
  const fixDirectory = (path: string) =>
    `Make it root's and writable by root only (chown root ${path} && chmod go-w ${path}), or keep the keys elsewhere: MAILWRIGHT_DKIM_KEYS_DIR, by default beside the data dir (e.g. /var/lib/mailwright-dkim), in a directory whose every parent is root's and not group- or world-writable.`;
  const fixKeys =
    'Run `mailwright mailstack sync` as root, which writes them owned by the signer and mode 0600.';
  const refuse = (reason: string, fix: string) =>
    `OpenDKIM (RequireSafeKeys) refuses the DKIM keys: ${reason}, so Postfix would answer every submission "451 4.7.1". ${fix}`;

  for (const node of chain) {
    const { path, mode, uid, gid } = node;
    if (!node.directory) {
      if (!trusted(uid)) {
        return refuse(
          `${path} belongs to uid ${uid} (${ownerName(uid)}), neither root nor ${signer.name}`,
          fixKeys,
        );
      }
      const member = (mode & 0o060) !== 0 ? otherMember(gid) : undefined;
      if (member !== undefined) {
        return refuse(
          `${path} can be read or written by its group ${gid}, which has other members (e.g. ${member})`,
          fixKeys,
        );
      }
      if ((mode & 0o006) !== 0) {
        return refuse(`${path} can be read or written by every user`, fixKeys);
      }
      continue;
    }
    if ((mode & 0o002) !== 0) {
      return refuse(`${path} can be written by every user`, fixDirectory(path));
    }
    const member = (mode & 0o020) !== 0 ? otherMember(gid) : undefined;
    if (member !== undefined) {
      return refuse(
        `${path} can be written by its group ${gid}, which has other members (e.g. ${member})`,
        fixDirectory(path),
      );
    }
    if ((mode & 0o200) !== 0 && !trusted(uid)) {
      return refuse(
        `${path} can be written by its owner, uid ${uid} (${ownerName(uid)}), neither root nor ${signer.name} (uid ${signer.uid})`,
        fixDirectory(path),
      );
    }
    const searchBit = uid === signer.uid ? 0o100 : inGroup(gid) ? 0o010 : 0o001;
    if (signer.uid !== 0 && (mode & searchBit) === 0) {
      return `OpenDKIM, running as ${signer.name}, cannot reach its DKIM keys: ${path} does not let it through, so Postfix would answer every submission "451 4.7.1". Let it search the directory (e.g. chmod o+x ${path}).`;
    }
  }
  return null;
}

/**
 * `path`'s real path from `/` down, one node per directory. A path that does not exist yet is
 * followed as far as it does: the rest is created root's by `up`.
 */
export async function pathChain(path: string): Promise<PathNode[]> {
  let existing = path;
  while (
    !(await stat(existing).then(
      () => true,
      () => false,
    ))
  ) {
    existing = dirname(existing);
  }
  const real = await realpath(existing);
  const parts = real.split(sep).filter(Boolean);
  const paths = [sep, ...parts.map((_, i) => sep + parts.slice(0, i + 1).join(sep))];
  return Promise.all(paths.map(nodeOf));
}

async function nodeOf(path: string): Promise<PathNode> {
  const info = await stat(path);
  return {
    path,
    uid: info.uid,
    gid: info.gid,
    mode: info.mode & 0o7777,
    directory: info.isDirectory(),
  };
}

/** Every user and group the system knows (`getent`), for the group checks. */
export async function readAccounts(): Promise<Accounts> {
  const rows = async (db: string) =>
    (await run('getent', [db], { maxBuffer: 64 * 1024 * 1024 })).stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(':'));
  const [passwd, group] = await Promise.all([rows('passwd'), rows('group')]);
  return {
    users: passwd.map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) })),
    groups: group.map((f) => ({
      name: f[0]!,
      gid: Number(f[2]),
      members: (f[3] ?? '').split(',').filter(Boolean),
    })),
  };
}

/**
 * What OpenDKIM would say about the keys directory `dir` and the key files in it (those this
 * process may list), or null when it accepts them.
 */
export async function checkKeyDirectory(dir: string, signer: Signer): Promise<string | null> {
  const [chain, accounts] = await Promise.all([pathChain(dir), readAccounts()]);
  const files = await readdir(dir).catch(() => [] as string[]);
  const fileNodes = await Promise.all(files.map((f) => nodeOf(join(chain.at(-1)!.path, f))));
  return unsafeKeyPath([...chain, ...fileNodes.filter((n) => !n.directory)], signer, accounts);
}
