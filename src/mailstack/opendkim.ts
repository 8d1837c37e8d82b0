import { join } from 'node:path';
import type { SigningKey } from '../core/dkim-key.js';
import type { RenderedFile } from './rendered-file.js';
import type { MailPlaneSettings } from './settings.js';

/**
 * OpenDKIM, the signer of mail sent through submission. Mailwright's private keys are sealed in
 * `dkim_keys` under the server key, which OpenDKIM cannot open, so its key table is not a
 * database lookup: `mailstack up` and `mailstack sync` unseal the keys that sign into files
 * only the `opendkim` account can read, render a `KeyTable` and `SigningTable` beside them, and
 * tell a running OpenDKIM to reload (SIGUSR1) when they changed.
 */

export function opendkimPaths(s: MailPlaneSettings) {
  const state = join(s.dirs.state, 'opendkim');
  const run = join(s.dirs.run, 'opendkim');
  return {
    config: join(s.dirs.config, 'opendkim', 'opendkim.conf'),
    /** Tables: no secrets, only names and key paths. */
    state,
    keyTable: join(state, 'KeyTable'),
    signingTable: join(state, 'SigningTable'),
    /** Owned by `opendkim`, mode 0700, below root's directories only (`key-safety.ts`). */
    keys: s.dirs.dkimKeys,
    /** Owned by `opendkim`, group of Postfix's mail_owner, setgid: see `renderOpendkimConf`. */
    run,
    socket: join(run, 'opendkim.sock'),
    pidFile: join(run, 'opendkim.pid'),
  };
}

/**
 * opendkim.conf. The milter is attached to the submission service only, where every client has
 * authenticated, so everything it sees is ours to sign; inbound mail on port 25 never reaches
 * it (signing that would put our signature on whatever a stranger sends from loopback).
 */
export function renderOpendkimConf(s: MailPlaneSettings): RenderedFile {
  const p = opendkimPaths(s);
  const lines = [
    '# Rendered by Mailwright (src/mailstack/opendkim.ts); changes here are overwritten.',
    '# OpenDKIM logs only through syslog(3): look for "opendkim" in the system journal.',
    '# `mailwright mailstack status` says whether RequireSafeKeys would refuse the keys.',
    'Syslog yes',
    'SyslogSuccess yes',
    'LogWhy yes',
    `UserID ${s.users.opendkim}`,
    // The socket's directory is setgid to Postfix's group, so the socket is group Postfix's and
    // this mask leaves it group-writable (connecting needs write) and closed to everyone else.
    'UMask 0007',
    `Socket local:${p.socket}`,
    `PidFile ${p.pidFile}`,
    'Mode s',
    'Canonicalization relaxed/relaxed',
    '# A second From: header added in transit would otherwise slip past the signature.',
    'OversignHeaders From',
    `KeyTable file:${p.keyTable}`,
    `SigningTable refile:${p.signingTable}`,
    'RequireSafeKeys yes',
    '',
  ];
  return { path: 'opendkim/opendkim.conf', content: lines.join('\n'), mode: 0o644 };
}

export interface SigningTables {
  keyTable: string;
  signingTable: string;
  /** File name in the keys directory → PEM. */
  keyFiles: Map<string, string>;
}

/**
 * KeyTable: `<selector>._domainkey.<domain> <domain>:<selector>:<key file>`. SigningTable
 * (`refile:`): `*@<domain> <key name>`; a sub-domain has its own line, so `*@example.com` never
 * signs `sales.example.com`. RSA keys only: OpenDKIM 2.11 (Debian 12) signs every key with the
 * one global SignatureAlgorithm — an Ed25519 key fails with "expecting an rsa key" and the
 * message is refused. Ed25519 selectors stay published for signers that can use them.
 */
export function renderSigningTables(s: MailPlaneSettings, keys: SigningKey[]): SigningTables {
  const dir = opendkimPaths(s).keys;
  const sorted = keys
    .filter((k) => k.algorithm === 'rsa')
    .sort((a, b) => a.domain.localeCompare(b.domain) || a.selector.localeCompare(b.selector));
  const keyFiles = new Map<string, string>();
  const keyTable: string[] = [];
  const signingTable: string[] = [];
  for (const key of sorted) {
    const name = `${key.selector}._domainkey.${key.domain}`;
    const file = `${key.selector}.${key.domain}.pem`;
    keyFiles.set(file, key.privateKeyPem);
    keyTable.push(`${name} ${key.domain}:${key.selector}:${join(dir, file)}`);
    signingTable.push(`*@${key.domain} ${name}`);
  }
  const header =
    '# Rendered by Mailwright from dkim_keys; `mailwright mailstack sync` rewrites it.\n';
  return {
    keyTable: header + keyTable.map((l) => `${l}\n`).join(''),
    signingTable: header + signingTable.map((l) => `${l}\n`).join(''),
    keyFiles,
  };
}
