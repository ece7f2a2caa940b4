/**
 * `npm run bench:persistence`: saving with 100 proposals in real IndexedDB (headless Chromium against
 * the production build). Measures, for one Région holding 100 proposals: the write of an edit (from
 * the request to IndexedDB's commit, in the store worker), click → committed (the edit has reached
 * the store), click → acknowledged to the page (the page's own work, map frames included),
 * listing the proposals (summaries, as the app does) against reading every full plan (what the list
 * cost before summaries), and switching proposals. Prints median / min / max.
 */
import { startBenchApp } from '../lib/bench-browser.ts';

const EDITS = Number(process.env.BENCH_RUNS ?? 30);
const PROPOSALS = 100;

const { baseUrl, browser, close } = await startBenchApp();

interface Planning {
  plan: { id: string } | null;
  summaries: { id: string }[];
  saveProgress: { edits: number; stored: number; lastWriteMs: number | null; lastCommittedAt: number | null };
  open(id: string): Promise<void>;
  duplicate(): Promise<void>;
  createFromScenario(id: string): Promise<void>;
  flush(): Promise<void>;
}
type Handle = { __maillage: { planning: Planning; app: { loading: boolean; dataset: unknown } } };

const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
// tsx names the inner functions of the page scripts below with a helper the page does not have.
await context.addInitScript('window.__name = (f) => f');
const page = await context.newPage();
await page.goto(`${baseUrl}#r=52`);
await page.waitForFunction(() => {
  const handle = (window as unknown as Partial<Handle>).__maillage;
  return !!handle && handle.app.dataset !== null && !handle.app.loading;
});
await page.evaluate(async (count) => {
  const planning = (window as unknown as Handle).__maillage.planning;
  await planning.createFromScenario('pdl-2025');
  while (planning.summaries.length < count) await planning.duplicate();
  await planning.flush();
}, PROPOSALS);
await page.getByRole('button', { name: 'Proposition' }).click();

const figures = await page.evaluate(async (edits) => {
  const planning = (window as unknown as Handle).__maillage.planning;
  const addTeam = [...document.querySelectorAll('button')].find((b) => b.textContent === '+ Équipe')!;
  const waitStored = () =>
    new Promise<void>((resolve) => {
      const check = () => (planning.saveProgress.stored >= planning.saveProgress.edits ? resolve() : setTimeout(check, 0));
      check();
    });
  const save: number[] = [];
  const write: number[] = [];
  const stored: number[] = [];
  for (let i = 0; i < edits; i++) {
    const start = performance.now();
    addTeam.click();
    await waitStored();
    save.push(performance.now() - start);
    write.push(planning.saveProgress.lastWriteMs ?? NaN);
    stored.push((planning.saveProgress.lastCommittedAt ?? NaN) - (performance.timeOrigin + start));
  }
  const readAll = (store: string) =>
    new Promise<number>((resolve, reject) => {
      const request = indexedDB.open('maillage');
      request.onsuccess = () => {
        const start = performance.now();
        const get = request.result.transaction(store).objectStore(store).getAll();
        get.onsuccess = () => {
          const ms = performance.now() - start;
          request.result.close();
          resolve(ms);
        };
        get.onerror = () => reject(get.error);
      };
      request.onerror = () => reject(request.error);
    });
  const listSummaries: number[] = [];
  const listPlans: number[] = [];
  for (let i = 0; i < 10; i++) {
    listSummaries.push(await readAll('summaries'));
    listPlans.push(await readAll('proposals'));
  }
  const switching: number[] = [];
  const ids = planning.summaries.map((s) => s.id);
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    await planning.open(ids[(i * 7 + 3) % ids.length]);
    switching.push(performance.now() - start);
  }
  return { save, write, stored, listSummaries, listPlans, switching, proposals: planning.summaries.length };
}, EDITS);

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  return `médiane ${at(0.5)} ms (min ${sorted[0].toFixed(1)}, p95 ${at(0.95)}, max ${sorted.at(-1)!.toFixed(1)})`;
};
console.log(`${figures.proposals} propositions (Pays de la Loire, scénario 2025 et copies) dans IndexedDB (Chromium)`);
console.log(`écriture d’une modification dans IndexedDB (plan, résumé, historique ; ${EDITS} ajouts d’équipe), de la demande au commit : ${stats(figures.write)}`);
console.log(`clic → modification dans le magasin (commit de la transaction) : ${stats(figures.stored)}`);
console.log(`clic → enregistrement confirmé à la page (après le rendu de la carte et du panneau) : ${stats(figures.save)}`);
console.log(`liste des propositions, résumés : ${stats(figures.listSummaries)}`);
console.log(`  référence, lecture de tous les plans entiers (ancienne liste) : ${stats(figures.listPlans)}`);
console.log(`changement de proposition ouverte (plan, historique, indicateurs) : ${stats(figures.switching)}`);

await close();
