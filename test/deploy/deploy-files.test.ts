import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/app/config.js';
import { VARIABLES } from '../../src/app/config-variables.js';
import { mailPlaneSettingsFor } from '../../src/app/mail-plane.js';
import type { CliIo } from '../../src/cli/io.js';
import { stackSettings } from '../../src/cli/mailstack-commands.js';
import { buildProgram } from '../../src/cli/program.js';
import { dovecotConfigFile, postfixDir, renderMailPlane } from '../../src/mailstack/render.js';
import { cliLineProblems } from './cli-line.js';
import {
  DEPLOY,
  deployFiles,
  execWords,
  installHeader,
  isExecutable,
  parseEnvFile,
  parseUnit,
  read,
  ROOT,
  shellLines,
  unitValues,
  type UnitEntry,
} from './parse.js';

/*
 * The files under deploy/ are what a production host runs; nothing else executes them before a
 * real installation does. So each is checked here against what it names: the CLI's commands
 * and flags, the variables the configuration reads, the mail plane's paths, the guide's install
 * commands, and each tool's own parser where the machine has it.
 */

const GUIDE = 'docs/deployment.md';
const ENV_TEMPLATE = 'deploy/env/mailwright.env';
const UNITS = deployFiles().filter((f) => /\.(service|timer)$/.test(f));
const unit = (name: string): UnitEntry[] => parseUnit(read(`deploy/systemd/${name}`));

const templateEnv = (): Record<string, string> =>
  Object.fromEntries(
    parseEnvFile(read(ENV_TEMPLATE))
      .filter((a) => !a.commented)
      .map((a) => [a.name, a.value]),
  );

/** The mail plane of the template's configuration, as the units' `mailstack` commands see it. */
function templateMailPlane() {
  return mailPlaneSettingsFor(loadConfig(templateEnv()), {});
}

const silentIo: CliIo = {
  stdout: () => {},
  stderr: () => {},
  readStdin: async () => '',
  stdinIsTTY: false,
  promptSecret: async () => '',
  env: {},
  username: () => 'tester',
};

/** `/usr/bin/node /opt/mailwright/dist/cli/main.js ARGS…` → ARGS, from every unit. */
function unitCliLines(): { where: string; argv: string[] }[] {
  return UNITS.flatMap((file) =>
    parseUnit(read(file))
      .filter((e) => e.section === 'Service' && /^Exec/.test(e.key))
      .map((e) => ({ where: `${file}:${e.line}`, words: execWords(e.value) }))
      .filter(({ words }) => words[1]?.endsWith('/dist/cli/main.js'))
      .map(({ where, words }) => ({ where, argv: words.slice(2) })),
  );
}

function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const which = (tool: string): string | undefined =>
  ['/usr/sbin', '/usr/bin', '/sbin', '/bin']
    .map((dir) => join(dir, tool))
    .find((path) => existsSync(path));

/** Why a check of a tool "where available" is skipped, for its name; empty where it runs. */
const unlessMissing = (tool: string, pkg: string): string =>
  which(tool) ? '' : ` (skipped: ${tool} is not installed here; apt-get install ${pkg})`;

describe('deploy/ files and the guide', () => {
  it('each file names where it is installed, and install.sh installs it there', () => {
    // The installer's dry run into an empty prefix lists every file it would write, with owner
    // and mode, and changes nothing (test/deploy/install.test.ts runs it for real).
    const prefix = mkdtempSync(join(tmpdir(), 'mailwright-dry-'));
    const dry = run(join(DEPLOY, 'install.sh'), [
      '--dry-run',
      '--prefix',
      prefix,
      '--mail-host',
      'mx.example.net',
      '--admin-email',
      'you@example.net',
      '--set',
      'MAILWRIGHT_MAIL_LISTEN=203.0.113.10',
    ]);
    expect(dry.status, dry.stderr).toBe(0);
    expect(readdirSync(prefix)).toEqual([]);
    const writes = [...dry.stdout.matchAll(/^would: write (\S+) \((\S+) (\d+)\)$/gm)].map(
      ([, path = '', owner = '', mode = '']) => `${path.slice(prefix.length)} ${owner} ${mode}`,
    );
    expect(deployFiles().length).toBeGreaterThanOrEqual(11);
    for (const file of deployFiles().filter((f) => f !== 'deploy/install.sh')) {
      const header = installHeader(file);
      expect(header, `${file}: no "# Installed as: PATH (OWNER:GROUP MODE)" line`).toBeDefined();
      expect(writes, `install.sh never installs ${file}`).toContain(
        `${header?.path} ${header?.owner}:${header?.group} ${header?.mode}`,
      );
      expect(isExecutable(file), `${file}: executable bit vs mode ${header?.mode}`).toBe(
        (parseInt(header?.mode ?? '0', 8) & 0o111) !== 0,
      );
    }
  });

  it('the guide embeds none of their text anymore', () => {
    const guide = read(GUIDE);
    expect(guide).not.toMatch(/^\[(Unit|Service|Timer|Install)\]$/m);
    expect(guide).not.toMatch(/^```ini$/m);
    // Its code blocks install the files; none writes one out or repeats a line of one.
    const code = [...guide.matchAll(/^```.*\n([\s\S]*?)^```$/gm)].map((m) => m[1] ?? '').join('');
    const copied = deployFiles().flatMap((file) =>
      read(file)
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length > 20 && !line.startsWith('#') && code.includes(line))
        .map((line) => `${file}: ${line}`),
    );
    expect(copied).toEqual([]);
    expect(code).not.toMatch(/^#!|<<'?EOF|^\s*flush ruleset/m);
  });

  it('mention only files that exist in deploy/, and the guide every one of them', () => {
    for (const doc of [GUIDE, 'README.md', 'deploy/README.md']) {
      // `deploy/…` as a path of this repository (not `test/deploy/…`), trailing dot excluded.
      const named = [...read(doc).matchAll(/(?<![\w./-])deploy\/[\w./-]*[\w/]/g)].map((m) => m[0]);
      for (const path of named) expect(existsSync(join(ROOT, path)), `${doc}: ${path}`).toBe(true);
    }
    const guide = read(GUIDE);
    for (const file of deployFiles()) expect(guide, `${GUIDE} never names ${file}`).toContain(file);
  });

  it("list install.sh's own options, and run it with no other", () => {
    const script = read('deploy/install.sh');
    // The options its argument loop takes (`--name)` arms), and those its usage shows.
    const taken = [...script.matchAll(/^\s+(--[a-z-]+)(?: \| -h)?\)/gm)].map((m) => m[1]).sort();
    const usage = [
      ...(/^usage\(\) \{[\s\S]*?^\}/m.exec(script)?.[0] ?? '').matchAll(/^ {2}(--[a-z-]+)/gm),
    ]
      .map((m) => m[1])
      .sort();
    expect(taken).toContain('--mail-host');
    expect(usage).toEqual(taken.filter((o) => o !== '--help'));
    const table = [...read(GUIDE).matchAll(/^\| `(--[a-z-]+)/gm)].map((m) => m[1]).sort();
    expect(table).toEqual(usage);
    // Every command line of the guide and the README that runs the installer.
    for (const doc of [GUIDE, 'README.md']) {
      const runs = shellLines(read(doc)).filter((line) => /deploy\/install\.sh/.test(line));
      expect(runs.length, doc).toBeGreaterThan(0);
      for (const line of runs) {
        for (const option of line.match(/(?<=\s)--[a-z-]+/g) ?? []) {
          expect(taken, `${doc}: ${line}`).toContain(option);
        }
      }
    }
  });

  it('runs only mailwright commands and flags the CLI has', () => {
    const program = buildProgram(silentIo);
    const lines = shellLines(read(GUIDE))
      .map((line) => /^(?:sudo -u \S+ )?mailwright (.+)$/.exec(line)?.[1])
      .filter((rest): rest is string => rest !== undefined);
    expect(lines.length).toBeGreaterThanOrEqual(4);
    // Words as sh splits them here: double quotes hold a name with a space together.
    const words = (rest: string) =>
      [...rest.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
    for (const rest of lines) expect(cliLineProblems(program, words(rest)), rest).toEqual([]);
  });
});

describe('systemd units', () => {
  it('are sections of Key=Value lines; services run something, timers have their service', () => {
    for (const file of UNITS) {
      const entries = parseUnit(read(file));
      const sections = new Set(entries.map((e) => e.section));
      const kind = file.endsWith('.timer') ? 'Timer' : 'Service';
      expect([...sections].sort(), file).toEqual(
        ['Unit', kind, ...(sections.has('Install') ? ['Install'] : [])].sort(),
      );
      expect(unitValues(entries, 'Unit', 'Description'), file).toHaveLength(1);
      if (kind === 'Service')
        expect(unitValues(entries, 'Service', 'ExecStart').length).toBeGreaterThan(0);
      else expect(UNITS).toContain(file.replace(/\.timer$/, '.service'));
    }
  });

  it.skipIf(!which('systemd-analyze'))(
    `pass systemd-analyze verify${unlessMissing('systemd-analyze', 'systemd')}`,
    () => {
      // verify needs no running systemd; it does check that each Exec*= program exists, so one
      // the test machine lacks is swapped for /bin/true (its path is checked below, not here).
      const dir = mkdtempSync(join(tmpdir(), 'mailwright-units-'));
      for (const file of UNITS) {
        const text = read(file).replace(
          /^(Exec[A-Za-z]*=[-@:+!]*)(\/\S+)/gm,
          (_, key: string, program: string) => key + (existsSync(program) ? program : '/bin/true'),
        );
        writeFileSync(join(dir, basename(file)), text);
      }
      const result = run(
        'systemd-analyze',
        ['verify', '--man=no', ...UNITS.map((f) => join(dir, basename(f)))],
        {
          env: { ...process.env, SYSTEMD_LOG_LEVEL: 'warning' },
        },
      );
      // Complaints about the host's own units or its container are not ours; ours name our files.
      const ours = result.stderr
        .split('\n')
        .filter((line) => line.includes(dir) || UNITS.some((f) => line.includes(basename(f))));
      expect({ status: result.status, ours }).toEqual({ status: 0, ours: [] });
    },
  );

  it('run only mailwright commands and flags the CLI has', () => {
    const program = buildProgram(silentIo);
    const lines = unitCliLines();
    expect(lines.map((l) => l.argv.slice(0, 2).join(' ')).sort()).toEqual([
      'cert renew',
      'mailstack down',
      'mailstack sync',
      'mailstack sync',
      'mailstack up',
    ]);
    for (const { where, argv } of lines) expect(cliLineProblems(program, argv), where).toEqual([]);
  });

  it('run the built files of src/ from the prefix the guide clones into', () => {
    const pkg = JSON.parse(read('package.json')) as { bin: { mailwright: string } };
    const programs = UNITS.flatMap((file) =>
      parseUnit(read(file))
        .filter((e) => e.section === 'Service' && /^Exec/.test(e.key))
        .map((e) => execWords(e.value)),
    )
      .filter((words) => words[0] === '/usr/bin/node')
      // The script is node's first word that is not an option (V8's heap flags come before it).
      .map((words) => [words[0], words.slice(1).find((w) => !w.startsWith('-'))]);
    expect(programs.length).toBeGreaterThan(0);
    // Absolute programs: what systemd runs does not depend on its search path.
    for (const file of UNITS) {
      for (const e of parseUnit(read(file)).filter((x) => /^Exec/.test(x.key))) {
        expect(execWords(e.value)[0], `${file}:${e.line}`).toMatch(/^\//);
      }
    }
    for (const [, script = ''] of programs) {
      expect(script).toMatch(/^\/opt\/mailwright\/dist\//);
      // tsc maps src/X.ts to dist/X.js (tsconfig.json: rootDir src, outDir dist).
      const source = script.replace('/opt/mailwright/dist/', 'src/').replace(/\.js$/, '.ts');
      expect(existsSync(join(ROOT, source)), source).toBe(true);
    }
    expect(programs.map(([, script]) => script)).toContain(`/opt/mailwright/${pkg.bin.mailwright}`);
    expect(read(GUIDE)).toContain('git clone https://…/mailwright.git /opt/mailwright');
    expect(read('deploy/bin/mailwright')).toContain(
      `exec /usr/bin/node /opt/mailwright/${pkg.bin.mailwright} "$@"`,
    );
  });

  it('read the env template and agree with it on the data dir and the certificate', () => {
    const envPath = installHeader(ENV_TEMPLATE)?.path;
    expect(envPath).toBe('/etc/mailwright/mailwright.env');
    for (const file of UNITS.filter((f) => f.endsWith('.service'))) {
      const entries = parseUnit(read(file));
      const runsMailwright = unitValues(entries, 'Service', 'ExecStart').some((v) =>
        v.includes('/opt/mailwright/'),
      );
      expect(unitValues(entries, 'Service', 'EnvironmentFile'), file).toEqual(
        runsMailwright ? [envPath] : [],
      );
    }
    for (const script of ['deploy/bin/mailwright', 'deploy/certbot/mailwright']) {
      expect(read(script)).toMatch(new RegExp(`^\\. ${envPath}$`, 'm'));
    }

    const env = templateEnv();
    const api = unit('mailwright.service');
    expect(unitValues(api, 'Service', 'ReadWritePaths')).toEqual([env.MAILWRIGHT_DATA_DIR]);
    const sqlite = env.MAILWRIGHT_DATABASE_URL?.replace(/^sqlite:/, '') ?? '';
    expect(
      sqlite.startsWith(`${env.MAILWRIGHT_DATA_DIR}/`),
      'the database is writable by the API',
    ).toBe(true);
    // The API serves the mail host's certificate, loaded by systemd as credentials.
    expect(unitValues(api, 'Service', 'LoadCredential')).toEqual([
      `tls.crt:${env.MAILWRIGHT_MAIL_TLS_CERT}`,
      `tls.key:${env.MAILWRIGHT_MAIL_TLS_KEY}`,
    ]);
    expect(unitValues(api, 'Service', 'Environment')).toEqual([
      'MAILWRIGHT_TLS_CERT=%d/tls.crt MAILWRIGHT_TLS_KEY=%d/tls.key',
    ]);

    // ProtectSystem=full makes /usr, /boot and /etc read-only for the mail plane, which writes
    // the data dir and the DKIM keys.
    const plane = templateMailPlane();
    expect(unitValues(unit('mailwright-mailstack.service'), 'Service', 'ProtectSystem')).toEqual([
      'full',
    ]);
    for (const path of [plane.dirs.base, plane.dirs.dkimKeys]) {
      expect(path).not.toMatch(/^\/(usr|boot|etc)(\/|$)/);
    }
  });

  it("rotate the mail plane's logs where it writes them", () => {
    const plane = templateMailPlane();
    const files = renderMailPlane(plane);
    const setting = (path: string, name: string) =>
      new RegExp(`^${name} = (.+)$`, 'm').exec(
        files.find((f) => f.path === path)?.content ?? '',
      )?.[1];
    const postfixLog = setting('postfix/main.cf', 'maillog_file') ?? '';
    const dovecotLogs = [
      setting('dovecot/dovecot.conf', 'log_path'),
      setting('dovecot/dovecot.conf', 'info_log_path'),
    ];

    const [rotate, prune] = unitValues(
      unit('mailwright-postfix-logrotate.service'),
      'Service',
      'ExecStart',
    ).map(execWords);
    expect(rotate).toEqual(['/usr/sbin/postfix', '-c', postfixDir(plane), 'logrotate']);
    expect(prune?.slice(0, 4)).toEqual([
      '/usr/bin/find',
      dirname(postfixLog),
      '-name',
      `${basename(postfixLog)}.*.gz`,
    ]);

    const logrotate = read('deploy/logrotate/mailwright');
    const patterns = /^(\/[^{]+?)\s*\{/m.exec(logrotate.replace(/^#.*\n/gm, ''))?.[1]?.split(/\s+/);
    expect(patterns).toEqual(dovecotLogs);
    expect(logrotate).toContain(`doveadm -c ${dovecotConfigFile(plane)} log reopen`);
  });

  it('are enabled by install.sh when they can be, and named by the guide', () => {
    const installable = UNITS.filter(
      (f) => unitValues(parseUnit(read(f)), 'Install', 'WantedBy').length > 0,
    ).map((f) => basename(f));
    expect(installable).toContain('mailwright.service');
    // install.sh enables what has an [Install] section, so a new timer needs no edit there.
    expect(read('deploy/install.sh')).toContain("grep -l '^WantedBy=' -- *");
    for (const name of installable) expect(read(GUIDE), name).toContain(name);
  });
});

describe('the env template', () => {
  const assignments = parseEnvFile(read(ENV_TEMPLATE));

  it('is NAME=value lines that sh reads as systemd does', () => {
    for (const line of read(ENV_TEMPLATE).split('\n')) {
      if (line === '' || line.startsWith('#')) continue;
      expect(line).toMatch(/^MAILWRIGHT_[A-Z0-9_]+=(?:[A-Za-z0-9.:/_@,%=[\]-]*|'[^']*')$/);
    }
    // The wrapper and the hook source it with sh; the units read it with EnvironmentFile=,
    // which takes a single-quoted value verbatim, as parseEnvFile does.
    const sourced = run(
      'sh',
      ['-c', `set -a; . "$1"; set +a; env -0`, 'sh', join(ROOT, ENV_TEMPLATE)],
      {
        env: { PATH: process.env.PATH },
      },
    );
    expect(sourced.status).toBe(0);
    const seen = Object.fromEntries(
      sourced.stdout
        .split('\0')
        .filter((entry) => entry.startsWith('MAILWRIGHT_'))
        .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
    );
    expect(seen).toEqual(templateEnv());
  });

  it('is a configuration Mailwright accepts, for the guide’s layout', () => {
    const config = loadConfig(templateEnv());
    expect(config).toMatchObject({
      dataDir: '/var/lib/mailwright',
      databaseUrl: 'sqlite:/var/lib/mailwright/db/mailwright.db',
      listen: { host: '::', port: 443 },
      mailServer: { imapHost: 'mx.example.net', imapPort: 993, smtpPort: 587 },
    });
    expect(templateMailPlane().dirs.dkimKeys).toBe('/var/lib/mailwright-dkim');
  });

  it('gives the mail plane its production addresses and ports, which the units do not override', () => {
    const plane = templateMailPlane();
    expect({ listen: plane.listen, ports: plane.ports }).toMatchObject({
      listen: '203.0.113.10,2001:db8::10',
      ports: { smtp: 25, submission: 587, imap: 143, imaps: 993 },
    });
    // An option on a unit's command line would make `up` disagree with `status` and `doctor`.
    for (const { where, argv } of unitCliLines()) {
      expect(
        argv.filter((w) => /^--(listen|[a-z]+-port)$/.test(w)),
        where,
      ).toEqual([]);
    }
    // `status`, `render`, `sync`, `down` and `doctor` take their settings as `up` does.
    const cli = stackSettings({ ...silentIo, env: templateEnv() }, {});
    expect({ listen: cli.listen, ports: cli.ports }).toEqual({
      listen: plane.listen,
      ports: plane.ports,
    });
  });

  it('names only variables Mailwright reads, and every setting it reads', () => {
    // The configuration schema; test/config.test.ts holds src/ to it.
    const read = new Set(Object.keys(VARIABLES));
    const named = new Set(assignments.map((a) => a.name));
    for (const name of named) expect(read, `${name} is not read by src/`).toContain(name);
    // Left out on purpose: the API's certificate, which its unit points at its credentials,
    // and a troubleshooting switch for one CLI run.
    const NOT_IN_TEMPLATE = ['MAILWRIGHT_TLS_CERT', 'MAILWRIGHT_TLS_KEY', 'MAILWRIGHT_DEBUG'];
    const missing = [...read].filter((name) => !named.has(name) && !NOT_IN_TEMPLATE.includes(name));
    expect(missing, 'add them to deploy/env/mailwright.env, commented out if optional').toEqual([]);
  });

  it('shows defaults that are the defaults: uncommenting one changes nothing', () => {
    const base = templateEnv();
    const plane = templateMailPlane();
    for (const a of assignments.filter((x) => x.commented && /^\d+$/.test(x.value))) {
      if (a.name === 'MAILWRIGHT_HASH_CONCURRENCY') continue; // "the number of cores", said so
      expect(loadConfig({ ...base, [a.name]: a.value }), a.name).toEqual(loadConfig(base));
    }
    const shown = (name: string) => assignments.find((x) => x.commented && x.name === name)?.value;
    expect(shown('MAILWRIGHT_DKIM_KEYS_DIR')).toBe(plane.dirs.dkimKeys);
    expect(shown('MAILWRIGHT_DOVECOT_CONFIG')).toBe(dovecotConfigFile(plane));
  });
});

describe('the scripts', () => {
  it('parse as sh', () => {
    for (const file of ['deploy/bin/mailwright', 'deploy/certbot/mailwright']) {
      expect(run('sh', ['-n', join(ROOT, file)]).stderr, file).toBe('');
    }
  });

  it('install.sh pipes into no reader that may stop early (pipefail makes that a failure)', () => {
    // `printf … | grep -q` under pipefail is false whenever grep leaves at its first match
    // before printf's last write (SIGPIPE): now and then, with the load. That once appended a
    // --set line a second time, and a re-run rewrote an unchanged env file.
    const script = read('deploy/install.sh');
    expect(script).toMatch(/^set -euo pipefail$/m);
    const early = script
      .split('\n')
      .map((line, i) => `${i + 1}: ${line.trim()}`)
      .filter((line) => !/^\d+: #/.test(line))
      .filter((line) =>
        /\|\s*(grep\s+(-\w*[qm]|--quiet|--max-count)|head\b|sed\s+-n\s+'?\d*q)/.test(line),
      );
    expect(early).toEqual([]);
  });

  /**
   * A copy of `file` that reads the template instead of /etc and finds `stubs` first on PATH;
   * a stub without a body of its own logs its command line.
   */
  function withStubs(file: string, stubs: Record<string, string | null>) {
    const dir = mkdtempSync(join(tmpdir(), 'mailwright-deploy-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const log = join(dir, 'log');
    writeFileSync(log, '');
    for (const [name, body] of Object.entries(stubs)) {
      writeFileSync(
        join(bin, name),
        `#!/bin/sh\n${body ?? `printf '%s\\n' "${name} $*" >> '${log}'`}\n`,
      );
      chmodSync(join(bin, name), 0o755);
    }
    const script = join(dir, basename(file));
    writeFileSync(
      script,
      read(file)
        .replaceAll('/etc/mailwright/mailwright.env', join(ROOT, ENV_TEMPLATE))
        .replaceAll('/usr/bin/node', join(bin, 'node')),
    );
    return {
      run: (args: string[], env: Record<string, string> = {}) =>
        run('sh', [script, ...args], { env: { PATH: `${bin}:/usr/bin:/bin`, ...env } }),
      log: () => readFileSync(log, 'utf8').split('\n').filter(Boolean),
    };
  }

  it('the renewal hook restarts the API and reloads the mail plane, for the mail host only', () => {
    const plane = templateMailPlane();
    const logging = { systemctl: null, postfix: null, doveadm: null };
    const hook = withStubs('deploy/certbot/mailwright', logging);
    expect(hook.run([], { RENEWED_DOMAINS: 'mta-sts.example.com mx.example.net' }).status).toBe(0);
    expect(hook.log()).toEqual([
      'systemctl restart mailwright.service',
      `postfix -c ${postfixDir(plane)} reload`,
      `doveadm -c ${dovecotConfigFile(plane)} reload`,
    ]);

    const other = withStubs('deploy/certbot/mailwright', logging);
    expect(other.run([], { RENEWED_DOMAINS: 'mx.example.net.other.org' }).status).toBe(0);
    expect(other.log()).toEqual([]);
  });

  it('the CLI wrapper hands the template and every argument to the CLI', () => {
    const wrapper = withStubs('deploy/bin/mailwright', {
      node: `printf '%s\\n' "$@" "$MAILWRIGHT_DATA_DIR"`,
    });
    const result = wrapper.run(['user', 'create', '--email', 'a b@example.net']);
    expect(result.stdout.split('\n')).toEqual([
      '/opt/mailwright/dist/cli/main.js',
      'user',
      'create',
      '--email',
      'a b@example.net',
      '/var/lib/mailwright',
      '',
    ]);
  });
});

describe('the firewall', () => {
  const file = 'deploy/nftables/mailwright.nft';
  const text = read(file);

  it('replaces its own table and nothing else', () => {
    expect(text).not.toMatch(/^\s*flush ruleset/m);
    const tables = [...text.matchAll(/^\s*(?:add |delete |destroy )?table (\S+ \S+)/gm)].map((m) =>
      m[0].trim(),
    );
    // Declared (a no-op if it exists), deleted, defined: the same result on every run.
    expect(tables.map((t) => t.replace(/\s*\{$/, ''))).toEqual([
      'table inet mailwright',
      'delete table inet mailwright',
      'table inet mailwright',
    ]);
  });

  it('opens the ports the env file has the mail plane listen on, and 143 only if you add it', () => {
    const { ports } = templateMailPlane();
    const open = [...text.matchAll(/^\s*tcp dport (?:\{ ([\d, ]+) \}|(\d+)) accept/gm)].flatMap(
      (m) => (m[1] ?? m[2] ?? '').split(/,\s*/),
    );
    const apiPort = loadConfig(templateEnv()).listen.port;
    for (const p of [ports.smtp, ports.submission, ports.submissions, ports.imaps, apiPort]) {
      expect(open).toContain(String(p));
    }
    expect(open).not.toContain(String(ports.imap));
  });

  it.skipIf(!which('nft'))(`passes nft -c${unlessMissing('nft', 'nftables')}`, () => {
    const result = run(which('nft') ?? 'nft', [
      '-c',
      '-f',
      join(DEPLOY, 'nftables/mailwright.nft'),
    ]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('log rotation', () => {
  it.skipIf(!which('logrotate'))(
    `passes logrotate -d${unlessMissing('logrotate', 'logrotate')}`,
    () => {
      const state = join(mkdtempSync(join(tmpdir(), 'mailwright-logrotate-')), 'state');
      const result = run(which('logrotate') ?? 'logrotate', [
        '-d',
        '-s',
        state,
        join(DEPLOY, 'logrotate/mailwright'),
      ]);
      expect(result.stderr).not.toMatch(/^error:/m);
      expect(result.status).toBe(0);
    },
  );
});
