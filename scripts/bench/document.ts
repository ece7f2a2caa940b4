/**
 * `npm run bench:document`: time to produce the map picture (PNG, 3 508 × 2 480) and the PDF dossier
 * in headless Chromium (Debian's) against the production build, from the click to the downloaded
 * file: Hauts-de-France with 11 teams and France entière with 100 teams. The teams are k-means
 * groups of the public lycées (seeded) with zones of 4 neighbours: a benchmark input, not a proposal.
 * The first export of a Région also loads its layers and builds the commune graph ("à froid");
 * the median / min / max are over the following runs.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import type { Establishment } from '../../src/core/model/establishment';
import { startBenchApp } from '../lib/bench-browser.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);


function benchPlan(regionCode: string, k: number) {
  const all = (JSON.parse(readFileSync(`public/data/${regionCode}/establishments.json`, 'utf8')) as { establishments: Establishment[] }).establishments;
  const lycees = all.filter((e) => e.sector === 'public');
  let centres = Array.from({ length: k }, (_, i) => lycees[Math.floor(((i + 0.5) * lycees.length) / k)]).map((e) => [e.lon, e.lat]);
  let groups: number[] = [];
  for (let iteration = 0; iteration < 15; iteration++) {
    groups = lycees.map((e) => {
      let best = 0;
      for (let c = 1; c < k; c++) if ((e.lon - centres[c][0]) ** 2 + (e.lat - centres[c][1]) ** 2 < (e.lon - centres[best][0]) ** 2 + (e.lat - centres[best][1]) ** 2) best = c;
      return best;
    });
    centres = centres.map((centre, c) => {
      const members = lycees.filter((_, i) => groups[i] === c);
      return members.length === 0 ? centre : [members.reduce((s, e) => s + e.lon, 0) / members.length, members.reduce((s, e) => s + e.lat, 0) / members.length];
    });
  }
  const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  const teams = centres.map((_, c) => {
    const members = lycees.filter((_, i) => groups[i] === c);
    const base = members[0];
    return { id: `t${c}`, name: `Équipe ${c + 1}`, service: `Service ${Math.floor(c / 4) + 1}`, base: base ? { lat: base.lat, lon: base.lon, label: base.name, uai: base.uai } : null, technicians: Math.max(1, Math.round(members.length / 3)), color: palette[c % palette.length], sections: [], allowedDepartements: [] };
  });
  const zones = teams.flatMap((team, c) => {
    const members = lycees.filter((_, i) => groups[i] === c).sort((a, b) => a.lon - b.lon);
    return Array.from({ length: Math.ceil(members.length / 4) }, (_, z) => ({ id: `${team.id}z${z}`, teamId: team.id, name: `${team.name} · zone ${z + 1}`, members: members.slice(z * 4, z * 4 + 4).map((e) => e.uai), fixed: false }));
  });
  const now = new Date().toISOString();
  return {
    schemaVersion: 1,
    id: `bench-${regionCode}-${k}`,
    name: `Banc d’essai ${k} équipes`,
    regionCode,
    createdAt: now,
    updatedAt: now,
    notes: '',
    teams,
    assignment: Object.fromEntries(lycees.map((e, i) => [e.uai, `t${groups[i]}`])),
    sections: {},
    zones,
    locked: [],
    pcPark: {},
    settings: { pcPerStudent: 0.37, tolerances: { establishments: 0.1, pcs: 0.05, students: null } },
    origin: { kind: 'blank' },
  };
}

const { baseUrl, browser, close } = await startBenchApp();

async function timeDownload(page: Page, testId: string): Promise<{ ms: number; bytes: number }> {
  const start = Date.now();
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 600_000 }), page.getByTestId(testId).click()]);
  const path = await download.path();
  return { ms: Date.now() - start, bytes: readFileSync(path!).length };
}

const summary = (times: number[]) => {
  const sorted = [...times].sort((a, b) => a - b);
  return `médiane ${sorted[Math.floor(sorted.length / 2)]} ms (min ${sorted[0]}, max ${sorted.at(-1)}) sur ${sorted.length} essais`;
};

for (const [label, region, k] of [
  ['Hauts-de-France, 11 équipes', '32', 11],
  ['France entière, 100 équipes', 'FR', 100],
] as const) {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  await page.goto(`${baseUrl}#r=${region}`);
  await page.waitForFunction(() => {
    const handle = (window as unknown as { __maillage?: { app: { loading: boolean; dataset: unknown }; map?: unknown } }).__maillage;
    return !!handle?.map && handle.app.dataset !== null && !handle.app.loading;
  });
  await page.evaluate((plan) => (window as unknown as { __maillage: { planning: { persistNew(p: unknown): Promise<void> } } }).__maillage.planning.persistNew(plan), benchPlan(region, k));
  await page.getByRole('button', { name: 'Proposition' }).click();
  for (const [kind, testId, runs] of [
    ['PNG', 'export-png', RUNS],
    ['PDF', 'export-pdf', Math.max(3, Math.ceil(RUNS / 2))],
  ] as const) {
    const cold = await timeDownload(page, testId);
    const times: number[] = [];
    let bytes = cold.bytes;
    for (let i = 0; i < runs; i++) {
      const run = await timeDownload(page, testId);
      times.push(run.ms);
      bytes = run.bytes;
    }
    console.log(`${label} — ${kind} (${(bytes / 1e6).toFixed(1)} Mo) : à froid ${cold.ms} ms ; ensuite ${summary(times)}`);
  }
  await context.close();
}

await close();
