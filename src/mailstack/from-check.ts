import { join } from 'node:path';
import type { RenderedFile } from './rendered-file.js';
import type { MailPlaneSettings } from './settings.js';

/**
 * The From check: a milter on the submission service that refuses a message whose From header
 * is not an address of the SASL login (its own, or an alias it receives), which Postfix's
 * `reject_sender_login_mismatch` cannot do: it sees only the envelope. Built on pymilter
 * (Debian's python3-milter, the maintained Python binding of libmilter; no maintained milter
 * library exists for Node); docs/mail-plane.md says why. Who may send as an address is asked of
 * the same `mail_senders` table Postfix's envelope check reads, through Postfix's own `postmap
 * -q`, so the two checks can never disagree and the script needs no database driver.
 */
export function fromCheckPaths(s: MailPlaneSettings) {
  const run = join(s.dirs.run, 'from-check');
  return {
    script: join(s.dirs.config, 'from-check', 'from_check.py'),
    /** Owned by the data dir's owner, group of Postfix's mail_owner, setgid, like the policy's. */
    run,
    socket: join(run, 'from-check.sock'),
    pidFile: join(run, 'from-check.pid'),
  };
}

/** Debian's interpreter, which python3-milter installs into (not whichever `python3` is first). */
export const FROM_CHECK_PYTHON = '/usr/bin/python3';

/**
 * The milter. It decides at the end of the headers (the body is never sent to it): exactly one
 * From header naming one address; the login's own address passes at once, any other address
 * only when the table names the login among its senders. Anything that prevents the answer
 * (the table cannot be read) is a 451: the message is never accepted unchecked.
 */
const SCRIPT = `# Rendered by Mailwright (src/mailstack/from-check.ts); changes here are overwritten.
import os
import subprocess
import sys
from email.utils import getaddresses

import Milter

SOCKET, POSTFIX_CONFIG, SENDERS = sys.argv[1:4]


def senders_of(address):
    """The logins that may send as address: the lines smtpd_sender_login_maps answers."""
    done = subprocess.run(
        ["postmap", "-c", POSTFIX_CONFIG, "-q", address, SENDERS],
        capture_output=True, text=True, timeout=10,
    )
    if done.returncode == 0:
        return {login.strip().lower() for login in done.stdout.split(",")}
    # postmap says "not found" with status 1 and nothing on stderr; an error has a message.
    if done.returncode == 1 and not done.stderr.strip():
        return set()
    raise RuntimeError(done.stderr.strip() or "postmap exited with %d" % done.returncode)


class FromCheck(Milter.Base):
    def __init__(self):
        self.login = ""
        self.froms = []

    def envfrom(self, mailfrom, *params):
        self.login = (self.getsymval("{auth_authen}") or "").lower()
        self.froms = []
        return Milter.CONTINUE

    def header(self, name, value):
        if name.lower() == "from":
            self.froms.append(value)
        return Milter.CONTINUE

    def refuse(self, text):
        self.setreply("550", "5.7.1", text)
        return Milter.REJECT

    def eoh(self):
        if not self.login:
            return self.refuse("Submission needs an authenticated login")
        found = getaddresses(self.froms)
        if len(self.froms) != 1 or len(found) != 1 or "@" not in found[0][1]:
            return self.refuse(
                "The message needs one From header naming one address of login %s" % self.login
            )
        address = found[0][1].strip().lower()
        if address == self.login:
            return Milter.CONTINUE
        try:
            allowed = self.login in senders_of(address)
        except Exception as error:
            print("from-check: cannot read %s: %s" % (SENDERS, error), file=sys.stderr, flush=True)
            self.setreply("451", "4.3.0", "The From header cannot be checked now; try again later")
            return Milter.TEMPFAIL
        if allowed:
            return Milter.CONTINUE
        return self.refuse(
            "From header <%s> is not an address of login %s; send as %s or one of its aliases"
            % (address, self.login, self.login)
        )

    @Milter.nocallback
    def body(self, chunk):
        return Milter.CONTINUE


if __name__ == "__main__":
    # The socket's directory is setgid to Postfix's group: this mask leaves the socket
    # group-writable (connecting needs write) and closed to everyone else.
    os.umask(0o007)
    Milter.factory = FromCheck
    Milter.set_flags(0)
    Milter.runmilter("mailwright-from-check", "unix:" + SOCKET, 30)
`;

export function renderFromCheck(): RenderedFile {
  return { path: 'from-check/from_check.py', content: SCRIPT, mode: 0o644 };
}
