import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { TIERS, type TierName } from './tiers.js';

// The glob library vitest itself resolves `include` and `exclude` with, called as vitest does.
const fromVitest = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'));
const { globSync } = fromVitest('tinyglobby') as typeof import('tinyglobby');

const root = new URL('..', import.meta.url).pathname;

describe('test tiers', () => {
  it('put every test file in exactly one tier', () => {
    const testFiles = readdirSync(new URL('.', import.meta.url), { recursive: true })
      .map((file) => `test/${String(file)}`)
      .filter((file) => file.endsWith('.test.ts'));
    const tiersOf = new Map<string, TierName[]>(testFiles.map((file) => [file, []]));
    for (const [name, tier] of Object.entries(TIERS) as [TierName, (typeof TIERS)[TierName]][]) {
      const files = globSync(tier.include, {
        cwd: root,
        dot: true,
        ignore: tier.exclude,
        expandDirectories: false,
      });
      for (const file of files) tiersOf.set(file, [...(tiersOf.get(file) ?? []), name]);
    }
    const misplaced = [...tiersOf].filter(([, tiers]) => tiers.length !== 1);
    expect(misplaced, 'test files in no tier or in several (see test/tiers.ts)').toEqual([]);
    expect(testFiles.length).toBeGreaterThan(0);
  });
});
