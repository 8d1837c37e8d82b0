import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RenderedFile } from './rendered-file.js';
import type { MailPlaneSettings } from './settings.js';

/**
 * OpenDKIM logs only through syslog(3), which writes datagrams to /dev/log; on a host without
 * a syslog daemon (a container, a CI machine) its refusals ("key data is not secure") would be
 * lost. When nothing listens on /dev/log, `mailstack up` starts this catcher, which binds it
 * and appends each line to `<log>/syslog.log`, where doctor and operators read it. A running
 * syslog daemon keeps its socket: the catcher then exits at once. Python, because Node cannot
 * bind a datagram unix socket.
 */
export function syslogCatcherPaths(s: MailPlaneSettings) {
  return {
    script: join(s.dirs.config, 'syslog-catcher', 'syslog_catcher.py'),
    pidFile: join(s.dirs.run, 'syslog-catcher.pid'),
    log: join(s.dirs.log, 'syslog.log'),
  };
}

/** The socket syslog(3) writes to: glibc's _PATH_LOG, which no configuration moves. */
export const SYSLOG_SOCKET = '/dev/log';

const SCRIPT = `# Rendered by Mailwright (src/mailstack/syslog-catcher.ts); changes here are overwritten.
import os, re, signal, socket, sys

path, out = sys.argv[1], sys.argv[2]
probe = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
try:
    probe.connect(path)
    sys.exit(0)  # A syslog daemon listens: the lines are its.
except (FileNotFoundError, ConnectionRefusedError):
    pass
finally:
    probe.close()
if os.path.lexists(path):
    os.unlink(path)  # Left by a daemon or catcher that is gone: nothing reads it.
server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
server.bind(path)
os.chmod(path, 0o666)  # Every server's account logs, as with any syslog daemon.
ours = os.stat(path).st_ino


def stop(*_):
    raise SystemExit(0)


signal.signal(signal.SIGTERM, stop)
try:
    with open(out, "a", buffering=1) as log:
        while True:
            line = server.recv(65536).decode("utf-8", "replace")
            log.write(re.sub(r"^<\\d+>", "", line).rstrip("\\n\\0") + "\\n")
finally:
    if os.path.exists(path) and os.stat(path).st_ino == ours:
        os.unlink(path)
`;

export function renderSyslogCatcher(): RenderedFile {
  return { path: 'syslog-catcher/syslog_catcher.py', content: SCRIPT, mode: 0o644 };
}

/**
 * The last line `program` sent to syslog that contains `about` and the catcher kept, or null
 * (none, or no catcher here).
 */
export async function lastSyslogLine(
  s: MailPlaneSettings,
  program: string,
  about: string,
): Promise<string | null> {
  const text = await readFile(syslogCatcherPaths(s).log, 'utf8').catch(() => '');
  const tag = new RegExp(`\\b${program}\\[\\d+\\]: `);
  return (
    text
      .split('\n')
      .reverse()
      .find((line) => tag.test(line) && line.includes(about)) ?? null
  );
}
