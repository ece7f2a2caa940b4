/**
 * One-piece sectors. A team's territory is made of communes; the solver assigns points (lycées, or
 * blocks of them), so contiguity is checked on a graph over points: two points are neighbours when
 * their communes touch, where each commune without a lycée counts as part of the nearest commune
 * holding one (in steps over the commune adjacency graph), as the territory of a plan gives those
 * communes to the team that reaches them. A team whose points form a connected subgraph has a
 * territory in one piece.
 */

/** Undirected graph in compressed rows: the neighbours of v are targets[offsets[v] .. offsets[v+1]). */
export interface PointGraph {
  offsets: Int32Array;
  targets: Int32Array;
}

export function graphFromLists(lists: readonly (readonly number[])[]): PointGraph {
  const offsets = new Int32Array(lists.length + 1);
  lists.forEach((list, v) => (offsets[v + 1] = offsets[v] + list.length));
  const targets = new Int32Array(offsets[lists.length]);
  lists.forEach((list, v) => targets.set(list, offsets[v]));
  return { offsets, targets };
}

export function neighboursOf(graph: PointGraph, v: number): Int32Array {
  return graph.targets.subarray(graph.offsets[v], graph.offsets[v + 1]);
}

export interface CommuneGraph {
  /** Per commune, the communes sharing a border with it. */
  neighbours: readonly (readonly number[])[];
  /** Extra pairs (islands joined to the mainland) treated as borders. */
  links?: readonly (readonly [number, number])[];
}

/**
 * The point graph of `communesOfPoint` (the communes each point stands in: one for a lycée, several
 * for a block). Points without a known commune are joined to their nearest points by `fallback`.
 */
export function pointGraph(communes: CommuneGraph, communesOfPoint: readonly (readonly number[])[]): PointGraph {
  const C = communes.neighbours.length;
  const adjacent: number[][] = communes.neighbours.map((list) => [...list]);
  for (const [a, b] of communes.links ?? []) {
    adjacent[a].push(b);
    adjacent[b].push(a);
  }
  const pointsIn: number[][] = Array.from({ length: C }, () => []);
  communesOfPoint.forEach((list, p) => list.forEach((c) => pointsIn[c].push(p)));
  // Multi-source breadth-first search: every commune is owned by the nearest commune holding points.
  const owner = new Int32Array(C).fill(-1);
  let queue: number[] = [];
  for (let c = 0; c < C; c++) {
    if (pointsIn[c].length > 0) {
      owner[c] = c;
      queue.push(c);
    }
  }
  while (queue.length > 0) {
    const next: number[] = [];
    for (const c of queue) {
      for (const d of adjacent[c]) {
        if (owner[d] >= 0) continue;
        owner[d] = owner[c];
        next.push(d);
      }
    }
    queue = next;
  }
  const edges: Set<number>[] = communesOfPoint.map(() => new Set<number>());
  const join = (a: number, b: number) => {
    if (a === b) return;
    edges[a].add(b);
    edges[b].add(a);
  };
  for (let c = 0; c < C; c++) {
    const here = pointsIn[c];
    for (let x = 1; x < here.length; x++) join(here[0], here[x]);
    if (owner[c] < 0) continue;
    for (const d of adjacent[c]) {
      if (owner[d] < 0 || owner[d] === owner[c]) continue;
      for (const a of pointsIn[owner[c]]) for (const b of pointsIn[owner[d]]) join(a, b);
    }
  }
  // A point standing in several communes (a block) holds them together.
  communesOfPoint.forEach((list, p) => list.forEach((c) => pointsIn[owner[c] >= 0 ? owner[c] : c].forEach((q) => join(p, q))));
  return graphFromLists(edges.map((set) => [...set].sort((a, b) => a - b)));
}

/** Connected components of the points of `group` (lists of points, largest first). */
export function groupComponents(graph: PointGraph, assignment: Int32Array, group: number): number[][] {
  const seen = new Uint8Array(assignment.length);
  const components: number[][] = [];
  for (let start = 0; start < assignment.length; start++) {
    if (assignment[start] !== group || seen[start]) continue;
    const component = [start];
    seen[start] = 1;
    for (let head = 0; head < component.length; head++) {
      for (const w of neighboursOf(graph, component[head])) {
        if (assignment[w] === group && !seen[w]) {
          seen[w] = 1;
          component.push(w);
        }
      }
    }
    components.push(component);
  }
  return components.sort((a, b) => b.length - a.length || a[0] - b[0]);
}

/** Pieces per group (0 for an empty group). */
export function piecesPerGroup(graph: PointGraph, assignment: Int32Array, groups: number): number[] {
  return Array.from({ length: groups }, (_, g) => groupComponents(graph, assignment, g).length);
}

export function touchesGroup(graph: PointGraph, assignment: Int32Array, point: number, group: number): boolean {
  for (const w of neighboursOf(graph, point)) if (assignment[w] === group) return true;
  return false;
}

/**
 * Whether `group` stays connected when `leaving` leave it and `joining` join it (a move or a swap):
 * a search over the group's new members from one of them.
 */
export function staysConnected(graph: PointGraph, assignment: Int32Array, group: number, leaving: readonly number[], joining: readonly number[], size: number): boolean {
  const newSize = size - leaving.length + joining.length;
  if (newSize <= 1) return true;
  const isMember = (v: number) => (assignment[v] === group && !leaving.includes(v)) || joining.includes(v);
  let start = joining[0] ?? -1;
  if (start < 0) {
    for (const v of leaving) {
      for (const w of neighboursOf(graph, v)) {
        if (isMember(w)) {
          start = w;
          break;
        }
      }
      if (start >= 0) break;
    }
  }
  if (start < 0) return false;
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (const w of neighboursOf(graph, v)) {
      if (!seen.has(w) && isMember(w)) {
        seen.add(w);
        stack.push(w);
      }
    }
  }
  return seen.size === newSize;
}

/**
 * Makes every group one piece: the points of a group's smaller pieces go to the cheapest allowed
 * group whose main piece they touch (the graph being connected, some always do), round after round,
 * so every move keeps both main pieces whole. Returns the points left in a smaller piece because no
 * neighbouring group may take them (département rules, locks): those groups stay in several pieces.
 */
export function repairContiguity(graph: PointGraph, assignment: Int32Array, groups: number, costOf: (point: number, group: number) => number): number[] {
  const N = assignment.length;
  for (;;) {
    const main = new Uint8Array(N);
    const secondary: number[] = [];
    for (let g = 0; g < groups; g++) {
      const [first, ...others] = groupComponents(graph, assignment, g);
      for (const p of first ?? []) main[p] = 1;
      for (const piece of others) secondary.push(...piece);
    }
    let moved = false;
    for (const p of secondary) {
      let best = -1;
      let bestCost = Infinity;
      for (const w of neighboursOf(graph, p)) {
        const h = assignment[w];
        if (h === assignment[p] || !main[w]) continue;
        const cost = costOf(p, h);
        if (cost < bestCost) {
          bestCost = cost;
          best = h;
        }
      }
      if (best >= 0 && Number.isFinite(bestCost)) {
        assignment[p] = best;
        main[p] = 1;
        moved = true;
      }
    }
    if (!moved) return secondary;
  }
}
