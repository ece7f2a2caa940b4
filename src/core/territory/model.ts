/**
 * A plan's territory: every commune of the Région belongs to a team.
 * - A commune holding lycées of one team belongs to it.
 * - A commune holding lycées of several teams is split between them (the export cuts it along the
 *   Voronoi cells of its lycées); on the map it takes the team with most lycées there.
 * - A commune without a lycée goes to the team that reaches it first over the commune graph
 *   (multi-source Dijkstra, edges weighted by centroid distance, the first hop measured from the
 *   team's lycée): territories grow along borders instead of jumping across another team's land.
 *   A commune the graph cannot reach takes the team of the nearest assigned lycée.
 * Per team: area, pieces (connected components over real borders and island links: an island linked
 * to the coast is not a separate piece of its team) and enclaves (a piece other than the team's
 * largest whose whole surroundings belong to one other team).
 * `updateTerritory` refreshes a territory after an edit: the lycée bookkeeping follows the changed
 * assignments, the graph pass reruns (a few ms), and team figures are recomputed only for the teams
 * whose communes or surroundings changed.
 */
import { km, type CommuneGraph } from './graph.ts';

export interface TerritoryContext {
  graph: CommuneGraph;
  /** UAI → commune index (see placePoints). */
  communeOf: ReadonlyMap<string, number>;
  /** UAI → [lon, lat]. */
  position: ReadonlyMap<string, readonly [number, number]>;
}

export interface TeamTerritory {
  teamId: string;
  communes: number;
  /** km²; a split commune counts for an equal share to each of its teams. */
  areaKm2: number;
  pieces: number;
  enclaves: number;
  /** Where to write the team's name: the commune of its largest piece nearest to that piece's centre. */
  label: [number, number] | null;
}

export interface Territory {
  /** Team of each commune (for a split commune, its main team), null when no lycée is assigned. */
  owner: (string | null)[];
  /** Communes holding lycées of several teams → those teams, sorted. */
  split: Map<number, string[]>;
  teams: Map<string, TeamTerritory>;
  /** Commune → team → its assigned lycées there. */
  readonly lycees: Map<number, Map<string, string[]>>;
  readonly assignment: Readonly<Record<string, string>>;
}

export function territoryContext(graph: CommuneGraph, communeOf: ReadonlyMap<string, number>, points: Iterable<{ uai: string; lon: number; lat: number }>): TerritoryContext {
  const position = new Map<string, readonly [number, number]>();
  for (const p of points) position.set(p.uai, [p.lon, p.lat]);
  return { graph, communeOf, position };
}

function addLycee(lycees: Map<number, Map<string, string[]>>, commune: number, teamId: string, uai: string): void {
  let byTeam = lycees.get(commune);
  if (!byTeam) lycees.set(commune, (byTeam = new Map()));
  const list = byTeam.get(teamId);
  if (list) list.push(uai);
  else byTeam.set(teamId, [uai]);
}

function removeLycee(lycees: Map<number, Map<string, string[]>>, commune: number, teamId: string, uai: string): void {
  const byTeam = lycees.get(commune);
  const list = byTeam?.get(teamId);
  if (!byTeam || !list) return;
  const rest = list.filter((u) => u !== uai);
  if (rest.length > 0) byTeam.set(teamId, rest);
  else byTeam.delete(teamId);
  if (byTeam.size === 0) lycees.delete(commune);
}

/**
 * Min-heap of (distance, team rank, commune) in flat arrays, ties broken by team rank (the order of
 * team ids) then commune, so the result does not depend on the order of the pushes.
 */
class Heap {
  private distance: number[] = [];
  private team: number[] = [];
  private commune: number[] = [];
  size = 0;
  private less(i: number, j: number): boolean {
    const d = this.distance;
    return d[i] !== d[j] ? d[i] < d[j] : this.team[i] !== this.team[j] ? this.team[i] < this.team[j] : this.commune[i] < this.commune[j];
  }
  private swap(i: number, j: number): void {
    [this.distance[i], this.distance[j]] = [this.distance[j], this.distance[i]];
    [this.team[i], this.team[j]] = [this.team[j], this.team[i]];
    [this.commune[i], this.commune[j]] = [this.commune[j], this.commune[i]];
  }
  push(distance: number, team: number, commune: number): void {
    let i = this.size++;
    this.distance[i] = distance;
    this.team[i] = team;
    this.commune[i] = commune;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.less(i, parent)) break;
      this.swap(i, parent);
      i = parent;
    }
  }
  /** Removes the smallest entry and returns it as [distance, team, commune]. */
  pop(): [number, number, number] {
    const top: [number, number, number] = [this.distance[0], this.team[0], this.commune[0]];
    const last = --this.size;
    if (last > 0) {
      this.distance[0] = this.distance[last];
      this.team[0] = this.team[last];
      this.commune[0] = this.commune[last];
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < last && this.less(l, m)) m = l;
        if (r < last && this.less(r, m)) m = r;
        if (m === i) break;
        this.swap(i, m);
        i = m;
      }
    }
    return top;
  }
}

function mainTeam(byTeam: Map<string, string[]>): string {
  let best = '';
  let count = -1;
  for (const [teamId, list] of byTeam) if (list.length > count || (list.length === count && teamId < best)) [best, count] = [teamId, list.length];
  return best;
}

/** Commune owners from the lycées' communes: seeds, then Dijkstra over lycée-free communes. */
function owners(context: TerritoryContext, lycees: Map<number, Map<string, string[]>>): { owner: (string | null)[]; split: Map<number, string[]> } {
  const { graph, position } = context;
  const n = graph.codes.length;
  const owner: (string | null)[] = new Array<string | null>(n).fill(null);
  const split = new Map<number, string[]>();
  const heap = new Heap();
  const teamIds = new Set<string>();
  for (const [commune, byTeam] of lycees) {
    owner[commune] = mainTeam(byTeam);
    if (byTeam.size > 1) split.set(commune, [...byTeam.keys()].sort());
    for (const teamId of byTeam.keys()) teamIds.add(teamId);
  }
  const ranked = [...teamIds].sort();
  const rank = new Map(ranked.map((t, i) => [t, i]));
  for (const [commune, byTeam] of lycees) {
    for (const next of graph.reach[commune]) {
      if (lycees.has(next)) continue;
      const [x, y] = graph.centroids[next];
      for (const [teamId, uais] of byTeam) {
        let best = Infinity;
        for (const uai of uais) {
          const p = position.get(uai);
          best = Math.min(best, p ? km(p[0], p[1], x, y) : km(...graph.centroids[commune], x, y));
        }
        heap.push(best, rank.get(teamId)!, next);
      }
    }
  }
  const settled = new Uint8Array(n);
  for (const commune of lycees.keys()) settled[commune] = 1;
  while (heap.size > 0) {
    const [distance, team, commune] = heap.pop();
    if (settled[commune]) continue;
    settled[commune] = 1;
    owner[commune] = ranked[team];
    const [x, y] = graph.centroids[commune];
    for (const next of graph.reach[commune]) if (!settled[next]) heap.push(distance + km(x, y, ...graph.centroids[next]), team, next);
  }
  if (lycees.size > 0) {
    const seeds = [...lycees.keys()];
    for (let c = 0; c < n; c++) {
      if (settled[c]) continue;
      const [x, y] = graph.centroids[c];
      let best = Infinity;
      for (const s of seeds) {
        const d = km(x, y, ...graph.centroids[s]);
        if (d < best) [best, owner[c]] = [d, owner[s]];
      }
    }
  }
  return { owner, split };
}

function teamsOf(territory: Pick<Territory, 'owner' | 'split'>, commune: number): string[] {
  return territory.split.get(commune) ?? (territory.owner[commune] ? [territory.owner[commune]!] : []);
}

function members(territory: Pick<Territory, 'owner' | 'split'>, teamIds: ReadonlySet<string>): Map<string, number[]> {
  const result = new Map<string, number[]>();
  const add = (teamId: string, c: number) => {
    if (!teamIds.has(teamId)) return;
    const list = result.get(teamId);
    if (list) list.push(c);
    else result.set(teamId, [c]);
  };
  for (let c = 0; c < territory.owner.length; c++) {
    const split = territory.split.get(c);
    if (split) for (const teamId of split) add(teamId, c);
    else if (territory.owner[c] !== null) add(territory.owner[c]!, c);
  }
  return result;
}

function teamFigures(graph: CommuneGraph, territory: Pick<Territory, 'owner' | 'split'>, teamId: string, communes: number[]): TeamTerritory {
  const inTeam = new Set(communes);
  const share = (c: number) => graph.areaKm2[c] / (territory.split.get(c)?.length ?? 1);
  const seen = new Set<number>();
  const pieces: { communes: number[]; area: number; around: Set<string | null> }[] = [];
  for (const start of communes) {
    if (seen.has(start)) continue;
    const piece = { communes: [] as number[], area: 0, around: new Set<string | null>() };
    const queue = [start];
    seen.add(start);
    while (queue.length > 0) {
      const c = queue.pop()!;
      piece.communes.push(c);
      piece.area += share(c);
      for (const next of graph.reach[c]) {
        if (inTeam.has(next)) {
          if (!seen.has(next)) {
            seen.add(next);
            queue.push(next);
          }
        } else {
          const around = teamsOf(territory, next);
          if (around.length === 0) piece.around.add(null);
          for (const other of around) piece.around.add(other);
        }
      }
    }
    pieces.push(piece);
  }
  let largest = pieces[0];
  for (const piece of pieces) if (piece.area > largest.area) largest = piece;
  const enclaves = pieces.filter((p) => p !== largest && p.around.size === 1 && !p.around.has(null)).length;
  let label: [number, number] | null = null;
  if (largest) {
    let sx = 0;
    let sy = 0;
    let sw = 0;
    for (const c of largest.communes) {
      const w = share(c) || 1e-9;
      sx += graph.centroids[c][0] * w;
      sy += graph.centroids[c][1] * w;
      sw += w;
    }
    let best = Infinity;
    for (const c of largest.communes) {
      if (territory.split.has(c)) continue;
      const d = km(sx / sw, sy / sw, ...graph.centroids[c]);
      if (d < best) [best, label] = [d, graph.centroids[c]];
    }
    label ??= graph.centroids[largest.communes[0]];
  }
  return { teamId, communes: communes.length, areaKm2: pieces.reduce((sum, p) => sum + p.area, 0), pieces: pieces.length, enclaves, label };
}

export function computeTerritory(context: TerritoryContext, assignment: Readonly<Record<string, string>>): Territory {
  const lycees = new Map<number, Map<string, string[]>>();
  for (const [uai, teamId] of Object.entries(assignment)) {
    const commune = context.communeOf.get(uai);
    if (commune !== undefined) addLycee(lycees, commune, teamId, uai);
  }
  const { owner, split } = owners(context, lycees);
  const base = { owner, split };
  const teamIds = new Set(Object.values(assignment));
  const teams = new Map<string, TeamTerritory>();
  for (const [teamId, communes] of members(base, teamIds)) teams.set(teamId, teamFigures(context.graph, base, teamId, communes));
  return { owner, split, teams, lycees, assignment };
}

export interface TerritoryUpdate {
  territory: Territory;
  /** Communes whose team (or split) changed: what the map must repaint. */
  changed: number[];
}

export function updateTerritory(previous: Territory, context: TerritoryContext, assignment: Readonly<Record<string, string>>): TerritoryUpdate {
  if (assignment === previous.assignment) return { territory: previous, changed: [] };
  const moves: [string, string | undefined, string | undefined][] = [];
  for (const [uai, teamId] of Object.entries(assignment)) if (previous.assignment[uai] !== teamId) moves.push([uai, previous.assignment[uai], teamId]);
  for (const [uai, teamId] of Object.entries(previous.assignment)) if (!(uai in assignment)) moves.push([uai, teamId, undefined]);
  const touched = moves.filter(([uai]) => context.communeOf.has(uai));
  if (touched.length === 0) return { territory: { ...previous, assignment }, changed: [] };

  const lycees = new Map<number, Map<string, string[]>>();
  const copied = new Set<number>();
  for (const [commune, byTeam] of previous.lycees) lycees.set(commune, byTeam);
  for (const [uai, before, after] of touched) {
    const commune = context.communeOf.get(uai)!;
    if (!copied.has(commune)) {
      // Copy on write: the previous territory stays valid (undo keeps it around).
      const byTeam = lycees.get(commune);
      if (byTeam) lycees.set(commune, new Map([...byTeam].map(([t, list]) => [t, [...list]])));
      copied.add(commune);
    }
    if (before !== undefined) removeLycee(lycees, commune, before, uai);
    if (after !== undefined) addLycee(lycees, commune, after, uai);
  }

  const { owner, split } = owners(context, lycees);
  const base = { owner, split };
  const changed: number[] = [];
  const affected = new Set<string>();
  const sameTeams = (a: string[], b: string[]) => a.length === b.length && a.every((t, i) => t === b[i]);
  for (let c = 0; c < owner.length; c++) {
    const before = teamsOf(previous, c);
    const after = teamsOf(base, c);
    if (owner[c] === previous.owner[c] && sameTeams(before, after)) continue;
    changed.push(c);
    for (const t of [...before, ...after]) affected.add(t);
    // A neighbour's enclaves depend on who surrounds them.
    for (const next of context.graph.reach[c]) for (const t of teamsOf(base, next)) affected.add(t);
  }
  const teamIds = new Set(Object.values(assignment));
  const teams = new Map<string, TeamTerritory>();
  for (const [teamId, figures] of previous.teams) if (teamIds.has(teamId) && !affected.has(teamId)) teams.set(teamId, figures);
  const recompute = new Set([...teamIds].filter((t) => !teams.has(t)));
  for (const [teamId, communes] of members(base, recompute)) teams.set(teamId, teamFigures(context.graph, base, teamId, communes));
  return { territory: { owner, split, teams, lycees, assignment }, changed };
}
