import childProcess from 'node:child_process';
import dgram from 'node:dgram';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import { dirname } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach } from 'vitest';
import { recordViolation, takeViolations } from './unit-violations.js';

/**
 * Setup file of the unit tier (test/tiers.ts): opening a database, starting a process, listening
 * or connecting fails the test, so the tier stays runnable without root, PostgreSQL or servers,
 * in seconds. Each attempt throws where it is made and, in case the code under test swallows that
 * error, fails the test again after it ends.
 */

function refuse(attempt: string): never {
  const message =
    `A unit test ${attempt}. The unit tier runs with no database, process or network: ` +
    'move the file to the integration or system tier in test/tiers.ts, or keep the I/O out of it.';
  recordViolation(message);
  throw new Error(message);
}

/** Replaces `object[key]` with a refusal and returns how to put the original back. */
function guard<T extends object>(object: T, key: keyof T & string, attempt: string): () => void {
  const original = object[key];
  object[key] = function refused() {
    refuse(attempt);
  } as T[keyof T & string];
  return () => {
    object[key] = original;
  };
}

// better-sqlite3 opens every database through its native addon's Database class; `bindings`
// hands out the same addon object better-sqlite3 loads, so replacing the class there covers it.
const require = createRequire(import.meta.url);
const sqliteRoot = dirname(require.resolve('better-sqlite3/package.json'));
const sqliteAddon = createRequire(require.resolve('better-sqlite3'))('bindings')({
  bindings: 'better_sqlite3.node',
  module_root: sqliteRoot,
}) as { Database: unknown };

const restore = [
  guard(sqliteAddon, 'Database', 'opened a SQLite database'),
  guard(pg.Client.prototype, 'connect', 'connected to PostgreSQL'),
  ...(['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork'] as const).map(
    (name) => guard(childProcess, name, `started a process (child_process.${name})`),
  ),
  guard(net.Server.prototype, 'listen', 'listened on a socket'),
  guard(net.Socket.prototype, 'connect', 'opened a network connection'),
  guard(dgram.Socket.prototype, 'bind', 'bound a UDP socket'),
];
// Named imports of node:child_process (`import { execFile }`) read these ESM bindings.
syncBuiltinESMExports();

afterEach(({ task }) => {
  const violations = takeViolations();
  // A refusal that reached the test has failed it already; report only the swallowed ones.
  if (violations.length > 0 && !task.result?.errors?.length) {
    throw new Error(violations.join('\n'));
  }
});

// A worker may run another tier's file next: leave Node as it was.
afterAll(() => {
  for (const undo of restore) undo();
  syncBuiltinESMExports();
});
