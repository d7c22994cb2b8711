import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string, file = 'index.ts'): string =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${file}`, import.meta.url));

// Tests run against the packages' sources, so a change is tested without a build.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@polyinfer\/core\/testing\/vitest$/, replacement: src('core', 'testing/vitest.ts') },
      { find: /^@polyinfer\/core\/testing$/, replacement: src('core', 'testing/index.ts') },
      { find: /^@polyinfer\/core\/platform$/, replacement: src('core', 'platform/index.ts') },
      { find: /^@polyinfer\/core$/, replacement: src('core') },
      { find: /^@polyinfer\/ort-common$/, replacement: src('ort-common') },
      { find: /^@polyinfer\/backend-ort-node\/base$/, replacement: src('backend-ort-node', 'base.ts') },
      { find: /^@polyinfer\/backend-ort-node$/, replacement: src('backend-ort-node') },
      { find: /^@polyinfer\/backend-ort-web\/base$/, replacement: src('backend-ort-web', 'base.ts') },
      { find: /^@polyinfer\/backend-ort-web$/, replacement: src('backend-ort-web') },
      { find: /^@polyinfer\/backend-tfjs\/base$/, replacement: src('backend-tfjs', 'base.ts') },
      { find: /^@polyinfer\/backend-tfjs$/, replacement: src('backend-tfjs') },
      { find: /^@polyinfer\/preprocess$/, replacement: src('preprocess') },
      { find: /^@polyinfer\/models\/ocr$/, replacement: src('models', 'ocr/task-entry.ts') },
      { find: /^@polyinfer\/models\/detection$/, replacement: src('models', 'detection/index.ts') },
      { find: /^@polyinfer\/models\/classification$/, replacement: src('models', 'classification/index.ts') },
      { find: /^@polyinfer\/models$/, replacement: src('models') },
      { find: /^@polyinfer\/backends$/, replacement: src('backends') },
      { find: /^@polyinfer\/bench-core$/, replacement: src('bench-core') },
      { find: /^@polyinfer\/documents$/, replacement: src('documents') },
      { find: /^@polyinfer\/model-fixtures$/, replacement: src('model-fixtures') },
      { find: /^@polyinfer\/optimize$/, replacement: src('optimize') },
      { find: /^@polyinfer\/backend-remote\/base$/, replacement: src('backend-remote', 'base.ts') },
      { find: /^@polyinfer\/v2-protocol\/grpc$/, replacement: src('v2-protocol', 'grpc.ts') },
      { find: /^@polyinfer\/v2-protocol$/, replacement: src('v2-protocol') },
      { find: /^@polyinfer\/backend-remote\/grpc$/, replacement: src('backend-remote', 'grpc.ts') },
      { find: /^@polyinfer\/backend-remote$/, replacement: src('backend-remote') },
      { find: /^@polyinfer\/server$/, replacement: src('server') },
      { find: /^@polyinfer\/cli$/, replacement: src('cli') },
      { find: /^@polyinfer\/browser-rig$/, replacement: src('browser-rig') },
      { find: /^@polyinfer\/conformance$/, replacement: src('conformance') },
      { find: /^@polyinfer\/bench$/, replacement: src('bench', 'bench-cli.ts') },
    ],
  },
  test: {
    include: [
      'packages/*/test/**/*.test.ts',
      'benchmarks/test/**/*.test.ts',
      'examples/*/test/**/*.test.ts',
      'docs/test/**/*.test.ts',
    ],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Native runtimes use their own threads; forks keep each test file's memory apart for the leak tests.
    pool: 'forks',
    // The memory tests call gc() so that what they measure is what is still reachable.
    execArgv: ['--expose-gc'],
    maxWorkers: 2,
  },
});
