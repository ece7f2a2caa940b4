/**
 * `npm run bench:map`: navigation → map idle in headless Chromium (Debian's), against the production
 * build served by vite preview. Measures a Région (Hauts-de-France, all lycées shown) and France
 * entière (every lycée of the national file at once). Prints median / min / max over several runs.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { chromium } from 'playwright-core';
import { preview } from 'vite';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync('dist/index.html') || process.argv.includes('--build')) spawnSync('npx', ['vite', 'build'], { stdio: 'inherit' });

const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'warn' });
const baseUrl = server.resolvedUrls?.local[0] ?? '';
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--no-sandbox', '--disable-gpu', '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking'],
});

async function measure(region: string): Promise<{ ms: number; rendered: number }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Show private lycées too: the benchmark draws every establishment of the dataset.
  await context.addInitScript(`localStorage.setItem('maillage.view', JSON.stringify({ regionCode: '${region}', showPrivate: true }))`);
  const page = await context.newPage();
  const start = Date.now();
  await page.goto(`${baseUrl}#r=${region}`);
  await page.waitForFunction(() => {
    const handle = (window as unknown as { __maillage?: { app: { loading: boolean; dataset: unknown }; map?: unknown } }).__maillage;
    return !!handle?.map && handle.app.dataset !== null && !handle.app.loading;
  });
  await page.evaluate(() => (window as unknown as { __maillage: { whenIdle(): Promise<void> } }).__maillage.whenIdle());
  const ms = Date.now() - start;
  const rendered = await page.evaluate(() => (window as unknown as { __maillage: { renderedUais(): string[] } }).__maillage.renderedUais().length);
  await context.close();
  return { ms, rendered };
}

for (const [label, region] of [
  ['Hauts-de-France (tous les lycées)', '32'],
  ['France entière (tous les lycées)', 'FR'],
] as const) {
  await measure(region);
  const times: number[] = [];
  let rendered = 0;
  for (let i = 0; i < RUNS; i++) {
    const result = await measure(region);
    times.push(result.ms);
    rendered = result.rendered;
  }
  times.sort((a, b) => a - b);
  console.log(`${label}: ${rendered} points rendus ; navigation → carte prête : médiane ${times[Math.floor(times.length / 2)]} ms (min ${times[0]}, max ${times.at(-1)}) sur ${RUNS} essais`);
}

await browser.close();
await server.close();
