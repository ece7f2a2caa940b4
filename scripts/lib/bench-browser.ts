/**
 * The browser benchmarks' set-up: the production build (built first when missing or with --build),
 * served by vite preview on a free port, and Debian's headless Chromium (CHROMIUM_PATH overrides it).
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { preview } from 'vite';

export interface BenchApp {
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startBenchApp(): Promise<BenchApp> {
  if (!existsSync('dist/index.html') || process.argv.includes('--build')) spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking'],
  });
  return {
    baseUrl: server.resolvedUrls?.local[0] ?? '',
    browser,
    close: async () => {
      await browser.close();
      await server.close();
    },
  };
}
