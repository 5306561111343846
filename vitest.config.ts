import { defineConfig } from 'vitest/config';
import path from 'node:path';

export default defineConfig({
  resolve: { alias: { '@': path.resolve(import.meta.dirname) } },
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', '.next/**', 'e2e/**', '.ephemera/**'],
    testTimeout: 30_000,
    // Suites start PGlite, PostgreSQL or a dev cluster in their hooks: on a busy machine that alone has taken over 60 s.
    hookTimeout: 120_000,
    // Integration suites each start their own dev cluster; two cores, so keep it modest.
    maxWorkers: 2,
  },
});
