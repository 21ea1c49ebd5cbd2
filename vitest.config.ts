import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['opscharter-source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['opscharter-source', 'module', 'node', 'import', 'default'] } },
  test: {
    include: ['test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: 'reports/vitest.json' },
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'json-summary'],
      reportsDirectory: 'coverage',
      thresholds: { lines: 90 },
    },
  },
});
