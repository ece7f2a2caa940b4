/**
 * `npm run bench:territory [-- --region 32 --region 44]`: time from an edit of a few lycées to the
 * refreshed territories (incremental model update, src/core/territory), for Hauts-de-France and the
 * Région with the most communes among those built (or the Régions given). A realistic plan: 11 teams
 * grown from spread-out bases (nearest base). Each edit moves 1 to 5 lycées to another team, with a
 * seeded random source. Also: building the commune graph (once per Région) and a full recompute.
 * The figures are medians with their spread (p10–p90, max) over several hundred edits.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { CommuneAdjacency, RegionDataset } from '../../src/core/model/establishment.ts';
import { communeGraph, placePoints } from '../../src/core/territory/graph.ts';
import { computeTerritory, territoryContext, updateTerritory } from '../../src/core/territory/model.ts';
import { pick, seededRandom } from '../../src/core/random.ts';

const DATA = 'public/data';
const TEAMS = 11;
const EDITS = 400;

function stats(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))].toFixed(2);
  return `médiane ${at(0.5)} ms (p10 ${at(0.1)} – p90 ${at(0.9)}, max ${sorted.at(-1)!.toFixed(2)})`;
}

function run(code: string): void {
  const dataset = JSON.parse(readFileSync(`${DATA}/${code}/establishments.json`, 'utf8')) as RegionDataset;
  const communes = JSON.parse(readFileSync(`${DATA}/${code}/communes.geojson`, 'utf8')) as FeatureCollection<Polygon | MultiPolygon>;
  const adjacencyPath = `${DATA}/${code}/adjacency.json`;
  const adjacency = existsSync(adjacencyPath) ? (JSON.parse(readFileSync(adjacencyPath, 'utf8')) as CommuneAdjacency) : null;
  const publics = dataset.establishments.filter((e) => e.sector === 'public');

  const graphStart = performance.now();
  const graph = communeGraph(communes, adjacency);
  const context = territoryContext(graph, placePoints(graph, communes, dataset.establishments), dataset.establishments);
  const graphMs = performance.now() - graphStart;

  const random = seededRandom(10);
  const bases = Array.from({ length: TEAMS }, () => pick(random, publics));
  const assignment: Record<string, string> = {};
  for (const e of publics) {
    let best = 0;
    bases.forEach((b, i) => {
      if ((b.lat - e.lat) ** 2 + (b.lon - e.lon) ** 2 < (bases[best].lat - e.lat) ** 2 + (bases[best].lon - e.lon) ** 2) best = i;
    });
    assignment[e.uai] = `t${best}`;
  }
  let territory = computeTerritory(context, assignment);
  let current = assignment;
  const incremental: number[] = [];
  const full: number[] = [];
  const changed: number[] = [];
  for (let i = 0; i < EDITS; i++) {
    const next = { ...current };
    const moves = 1 + Math.floor(random() * 5);
    for (let k = 0; k < moves; k++) next[pick(random, publics).uai] = `t${Math.floor(random() * TEAMS)}`;
    const start = performance.now();
    const update = updateTerritory(territory, context, next);
    incremental.push(performance.now() - start);
    changed.push(update.changed.length);
    territory = update.territory;
    current = next;
    const fullStart = performance.now();
    computeTerritory(context, next);
    full.push(performance.now() - fullStart);
  }
  const pieces = [...territory.teams.values()].map((t) => t.pieces);
  console.log(`${dataset.region.name} (${code}) : ${graph.codes.length} communes, ${publics.length} lycées publics, ${TEAMS} équipes, ${EDITS} modifications de 1 à 5 lycées`);
  console.log(`  graphe des communes (une fois par Région, ${adjacency ? 'adjacency.json' : 'sommets partagés'}) : ${graphMs.toFixed(0)} ms`);
  console.log(`  modification → territoires à jour (incrémental) : ${stats(incremental)}`);
  console.log(`  recalcul complet, pour comparaison :              ${stats(full)}`);
  console.log(`  communes repeintes par modification : médiane ${[...changed].sort((a, b) => a - b)[changed.length >> 1]} ; morceaux par équipe à la fin : ${pieces.join(' ')}`);
}

const args = process.argv.slice(2);
const asked = args.flatMap((a, i) => (a === '--region' ? [args[i + 1]] : []));
const withCommunes = readdirSync(DATA).filter((code) => existsSync(`${DATA}/${code}/communes.geojson`) && code !== 'FR');
const count = (code: string) => (JSON.parse(readFileSync(`${DATA}/${code}/communes.geojson`, 'utf8')) as FeatureCollection).features.length;
const largest = withCommunes.map((code) => [code, count(code)] as const).sort((a, b) => b[1] - a[1])[0]?.[0];
const regions = asked.length > 0 ? asked : [...new Set(['32', largest].filter((c): c is string => !!c && withCommunes.includes(c)))];
for (const code of regions) run(code);
