import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Store and API suites run once per dialect against real databases; each file gets its own
    // SQLite file or PostgreSQL schema, so files can run in parallel safely.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
