import { defineConfig } from 'vitest/config';
import { TIERS } from './test/tiers.js';

export default defineConfig({
  test: {
    // Store and API suites run once per dialect against real databases; each file gets its own
    // SQLite file or PostgreSQL schema, so files can run in parallel safely.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // `vitest run` runs every tier; `--project unit` (npm run test:unit) the quick one alone.
    projects: Object.entries(TIERS).map(([name, tier]) => ({
      extends: true,
      test: {
        name,
        include: tier.include,
        exclude: tier.exclude,
        setupFiles: name === 'unit' ? ['test/support/unit-guard.ts'] : [],
      },
    })),
  },
});
