import { defineConfig } from 'vitest/config';

// Browser flows: Debian's Chromium driven by playwright-core against the built app (vite preview).
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/global-setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    passWithNoTests: true,
  },
});
