import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['opscharter-source', 'module', 'node', 'import', 'default'] },
  // Test files run as server-side modules; these conditions also reach Node's own resolver, where
  // `import` would make pg load pg-pool's ES module build, which pg cannot extend.
  ssr: { resolve: { conditions: ['opscharter-source', 'node', 'default'] } },
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
