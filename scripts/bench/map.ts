/**
 * `npm run bench:map`: navigation → map idle in headless Chromium (Debian's), against the production
 * build served by vite preview. Measures a Région (Hauts-de-France, all lycées shown) and France
 * entière (every lycée of the national file at once), then, with team territories on, Hauts-de-France
 * and Grand Est (the most communes) with a proposal open: one team per département, imported once,
 * so the page reopens it; the clock stops when the territory is drawn and the map idle.
 * Prints median / min / max over several runs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { startBenchApp } from '../lib/bench-browser.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const { baseUrl, browser, close } = await startBenchApp();

type Handle = { __maillage?: { app: { loading: boolean; dataset: unknown }; map?: unknown; territory: { territory: unknown }; territoryDrawn(): boolean } };

/** One team per département: a proposal whose territories cover the Région. */
function departementPlan(region: string): string {
  const dataset = JSON.parse(readFileSync(`public/data/${region}/establishments.json`, 'utf8')) as { establishments: { uai: string; sector: string; departementName: string }[] };
  return ['UAI;Équipe', ...dataset.establishments.filter((e) => e.sector === 'public').map((e) => `${e.uai};${e.departementName}`)].join('\n');
}

async function measure(region: string, territories = false): Promise<{ ms: number; rendered: number }> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  // Show private lycées too: the benchmark draws every establishment of the dataset.
  await context.addInitScript(`localStorage.setItem('maillage.view', JSON.stringify({ regionCode: '${region}', showPrivate: true }))`);
  if (territories) {
    const setup = await context.newPage();
    await setup.goto(`${baseUrl}#r=${region}`);
    await setup.waitForFunction(() => !!(window as unknown as Handle).__maillage?.map && !(window as unknown as Handle).__maillage!.app.loading);
    await setup.getByRole('button', { name: 'Proposition' }).click();
    await setup.getByTestId('plan-file').setInputFiles({ name: 'departements.csv', mimeType: 'text/csv', buffer: Buffer.from(departementPlan(region), 'utf8') });
    await setup.waitForFunction(() => (window as unknown as Handle).__maillage!.territory.territory !== null, null, { timeout: 120_000 });
    await setup.close();
  }
  const page = await context.newPage();
  const start = Date.now();
  await page.goto(`${baseUrl}#r=${region}`);
  await page.waitForFunction(() => {
    const handle = (window as unknown as { __maillage?: { app: { loading: boolean; dataset: unknown }; map?: unknown } }).__maillage;
    return !!handle?.map && handle.app.dataset !== null && !handle.app.loading;
  });
  if (territories) await page.waitForFunction(() => (window as unknown as Handle).__maillage!.territoryDrawn(), null, { timeout: 120_000 });
  await page.evaluate(() => (window as unknown as { __maillage: { whenIdle(): Promise<void> } }).__maillage.whenIdle());
  const ms = Date.now() - start;
  const rendered = await page.evaluate(() => (window as unknown as { __maillage: { renderedUais(): string[] } }).__maillage.renderedUais().length);
  await context.close();
  return { ms, rendered };
}

const withCommunes = (code: string) => existsSync(`public/data/${code}/communes.geojson`);
for (const [label, region, territories] of [
  ['Hauts-de-France (tous les lycées)', '32', false],
  ['France entière (tous les lycées)', 'FR', false],
  ['Hauts-de-France, territoires affichés (une équipe par département)', '32', true],
  ['Grand Est, territoires affichés (une équipe par département)', '44', true],
] as const) {
  if (territories && !withCommunes(region)) continue;
  if (process.argv.includes('--territories') && !territories) continue;
  await measure(region, territories);
  const times: number[] = [];
  let rendered = 0;
  for (let i = 0; i < RUNS; i++) {
    const result = await measure(region, territories);
    times.push(result.ms);
    rendered = result.rendered;
  }
  times.sort((a, b) => a - b);
  console.log(`${label}: ${rendered} points rendus ; navigation → carte prête : médiane ${times[Math.floor(times.length / 2)]} ms (min ${times[0]}, max ${times.at(-1)}) sur ${RUNS} essais`);
}

await close();
