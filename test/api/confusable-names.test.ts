import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostnameWarnings, mixedScriptLabels } from '../../src/core/mixed-script.js';
import { createAccount } from '../../src/services/accounts/create-account.js';
import { runWith } from '../cli/run-cli.js';
import { DIALECTS } from '../support/dialects.js';
import { startHarness, type Harness } from '../support/harness.js';

// "аpple" with U+0430 CYRILLIC SMALL LETTER A: reads as apple.com, is another name in DNS.
const CONFUSABLE = '\u0430pple.com';
const A_LABEL = 'xn--pple-43d.com';

describe('mixedScriptLabels', () => {
  it.each([CONFUSABLE, 'p\u0430ypal.com', '\u03b1pple.com', 'sales.\u0430pple.com'])(
    'finds the mixed label of %s',
    (name) => expect(mixedScriptLabels(name)).toHaveLength(1),
  );

  it.each([
    'example.com',
    'bücher.de',
    'пример.рф',
    '例え.jp',
    '日本語ひらがなカタカナabc.jp',
    '한국어.kr',
    'xn-1.example.com',
  ])('accepts %s, written in one script (or a combination its language uses)', (name) => {
    expect(mixedScriptLabels(name)).toEqual([]);
  });

  it('names the scripts and the A-label in the warning', () => {
    expect(hostnameWarnings(A_LABEL, CONFUSABLE)).toEqual([
      {
        code: 'mixed_script',
        message: expect.stringMatching(/Cyrillic and Latin.*xn--pple-43d\.com/),
      },
    ]);
  });
});

for (const dialect of DIALECTS) {
  describe(`confusable domain names on ${dialect}`, () => {
    let h: Harness;
    beforeAll(async () => {
      h = await startHarness(dialect);
    });
    afterAll(() => h.close());

    it('warns at creation and in every view of a mixed-script name, with its A-label', async () => {
      const added = await h.request('POST', '/v1/domains', { body: { name: CONFUSABLE } });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ name: A_LABEL, unicodeName: CONFUSABLE });
      expect(added.body.warnings).toEqual([
        { code: 'mixed_script', message: expect.stringContaining(A_LABEL) },
      ]);
      const shown = await h.request('GET', `/v1/domains/${A_LABEL}`);
      expect(shown.body.warnings).toEqual(added.body.warnings);
      const listed = await h.request('GET', '/v1/domains');
      expect(listed.body.items[0].warnings).toEqual(added.body.warnings);

      const plain = await h.request('POST', '/v1/domains', { body: { name: 'bücher.de' } });
      expect(plain.body.warnings).toEqual([]);
    });

    it('the CLI prints the A-label and the warning when adding one', async () => {
      await createAccount(h.ctx, { name: 'admin', actor: 'test' });
      const env = {
        MAILWRIGHT_DATABASE_URL: h.url,
        MAILWRIGHT_DATA_DIR: mkdtempSync(join(tmpdir(), 'mailwright-cli-')),
      };
      const run = await runWith(env, ['domain', 'add', 'p\u0430ypal.com']);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toContain('xn--pypal-4ve.com (p\u0430ypal.com)');
      expect(run.stdout).toMatch(/⚠ .*Latin and Cyrillic.*xn--pypal-4ve\.com.*\(mixed_script\)/);
    });
  });
}
