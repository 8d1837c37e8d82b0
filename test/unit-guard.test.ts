import { execFile, spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { connect, createServer } from 'node:net';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { takeViolations } from './support/unit-violations.js';

describe('the unit tier guard', () => {
  const refused = (attempt: RegExp) => expect.stringMatching(attempt);

  it('refuses to open a SQLite database, even in memory', () => {
    expect(() => new SQLite(':memory:')).toThrow(/opened a SQLite database/);
    expect(takeViolations()).toEqual([refused(/opened a SQLite database/)]);
  });

  it('refuses to connect to PostgreSQL', async () => {
    const client = new pg.Client({ connectionString: 'postgres://nobody@127.0.0.1:1/none' });
    await expect((async () => client.connect())()).rejects.toThrow(/connected to PostgreSQL/);
    expect(takeViolations()).toEqual([refused(/connected to PostgreSQL/)]);
  });

  it('refuses to start a process, and records it when the caller swallows the error', async () => {
    await expect(promisify(execFile)('true', [])).rejects.toThrow(/child_process\.execFile/);
    try {
      spawnSync('true');
    } catch {
      // Swallowed, as `dovecotQuotaUsage` does with any failure: the guard still fails the test.
    }
    expect(takeViolations()).toEqual([
      refused(/child_process\.execFile\)/),
      refused(/child_process\.spawnSync\)/),
    ]);
  });

  it('refuses to listen, to connect and to bind a UDP socket', () => {
    expect(() => createServer().listen(0, '127.0.0.1')).toThrow(/listened on a socket/);
    expect(() => connect(1, '127.0.0.1')).toThrow(/opened a network connection/);
    expect(() => createSocket('udp4').bind(0, '127.0.0.1')).toThrow(/bound a UDP socket/);
    expect(takeViolations()).toHaveLength(3);
  });
});
