import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['spec/**/*.spec.ts'],
    // Integration specs build namespaces and dump large tables; the real kernel
    // is slow next to crafted bytes, not flaky.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Specs create and delete network namespaces and count process fds: files run
    // one at a time so fd counts and timing of one never disturb another.
    fileParallelism: false,
  },
});
