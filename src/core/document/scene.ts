/**
 * The commune layer as the printed map draws it: each commune's box (to skip what lies outside the
 * frame), a label point inside its largest part, and the boundary segments two communes share, so
 * that team borders are drawn once along real commune limits. The team of each commune, the team
 * names' places and the pieces come from the territory model (src/core/territory), the one the
 * interactive map, the teams table and the GeoJSON export use. The built commune layer keeps shared
 * vertices identical on both sides (topology-preserving simplification), so shared segments are
 * found by their end points.
 */
import type { Feature, FeatureCollection, MultiPolygon, Polygon, Position } from 'geojson';
import type { CommuneAdjacency } from '../model/establishment.ts';
import { communeGraph, placePoints, type CommuneGraph } from '../territory/graph.ts';
import { computeTerritory, territoryContext } from '../territory/model.ts';
import type { Territory } from './render.ts';

export type CommuneLayer = FeatureCollection<Polygon | MultiPolygon>;

export interface CommuneOutlines {
  /**
   * Shared boundary segments: [x1, y1, x2, y2] (lon/lat) in `segments`, the two communes in
   * `owners` (a, b) at the same index / 4 and / 2.
   */
  segments: Float64Array;
  owners: Int32Array;
  /** Per commune [west, south, east, north]. */
  boxes: Float64Array;
  /** Per commune an interior-ish label point (centroid of its largest ring) [lon, lat]. */
  centres: Float64Array;
}

export function polygonsOf(feature: Feature<Polygon | MultiPolygon>): Position[][][] {
  return feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
}

function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return sum / 2;
}

function ringCentroid(ring: Position[]): [number, number] {
  let x = 0;
  let y = 0;
  let a = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const f = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
    x += (ring[j][0] + ring[i][0]) * f;
    y += (ring[j][1] + ring[i][1]) * f;
    a += f;
  }
  if (Math.abs(a) < 1e-18) return [ring[0][0], ring[0][1]];
  return [x / (3 * a), y / (3 * a)];
}

export function communeOutlines(communes: CommuneLayer): CommuneOutlines {
  const n = communes.features.length;
  const boxes = new Float64Array(n * 4);
  const centres = new Float64Array(n * 2);
  const firstOwner = new Map<string, number>();
  const segments: number[] = [];
  const owners: number[] = [];
  communes.features.forEach((feature, index) => {
    let [w, s, e, no] = [Infinity, Infinity, -Infinity, -Infinity];
    let largest: Position[] | null = null;
    let largestArea = -1;
    for (const polygon of polygonsOf(feature)) {
      const outer = polygon[0];
      const area = Math.abs(ringArea(outer));
      if (area > largestArea) [largest, largestArea] = [outer, area];
      for (const ring of polygon)
        for (let k = 0; k < ring.length; k++) {
          const [x, y] = ring[k];
          if (x < w) w = x;
          if (x > e) e = x;
          if (y < s) s = y;
          if (y > no) no = y;
          if (k + 1 === ring.length) continue;
          const a = `${x},${y}`;
          const b = `${ring[k + 1][0]},${ring[k + 1][1]}`;
          const key = a < b ? `${a};${b}` : `${b};${a}`;
          const other = firstOwner.get(key);
          if (other === undefined) firstOwner.set(key, index);
          else if (other !== index) {
            segments.push(x, y, ring[k + 1][0], ring[k + 1][1]);
            owners.push(other, index);
          }
        }
    }
    boxes.set([w, s, e, no], index * 4);
    centres.set(largest ? ringCentroid(largest) : [(w + e) / 2, (s + no) / 2], index * 2);
  });
  return { segments: Float64Array.from(segments), owners: Int32Array.from(owners), boxes, centres };
}

export interface ScenePoint {
  uai: string;
  lat: number;
  lon: number;
  teamId: string | null;
  /** INSEE code when known: tried before point in polygon to find the lycée's commune. */
  communeCode: string | null;
}

/** What the document needs of a Région's communes, built once per Région. */
export interface CommuneScene {
  communes: CommuneLayer;
  graph: CommuneGraph;
  outlines: CommuneOutlines;
  /** UAI → commune index, filled as lycées are met (a lycée's commune does not depend on the plan). */
  communeOf: Map<string, number>;
}

/** `adjacency`: the data build's adjacency.json; without it the model computes it from the polygons. */
export function communeScene(communes: CommuneLayer, adjacency: CommuneAdjacency | null): CommuneScene {
  return { communes, graph: communeGraph(communes, adjacency), outlines: communeOutlines(communes), communeOf: new Map() };
}

/**
 * The territory model's territory of the assigned points, as drawn (a split commune in the colour of
 * its main team, the team with most lycées there, as on the interactive map) and its pieces per team.
 */
export function communeTerritory(scene: CommuneScene, points: readonly ScenePoint[]): { territory: Territory; pieces: Map<string, number> } {
  const { communes, graph, outlines, communeOf } = scene;
  const unplaced = points.filter((p) => !communeOf.has(p.uai));
  for (const [uai, commune] of placePoints(graph, communes, unplaced)) communeOf.set(uai, commune);
  const assignment: Record<string, string> = {};
  for (const p of points) if (p.teamId) assignment[p.uai] = p.teamId;
  const model = computeTerritory(territoryContext(graph, communeOf, points), assignment);
  const labels = new Map<string, [number, number]>();
  const pieces = new Map<string, number>();
  for (const [teamId, t] of model.teams) {
    if (t.label) labels.set(teamId, t.label);
    pieces.set(teamId, t.pieces);
  }
  return { territory: { kind: 'communes', communes, outlines, teams: model.owner, labels }, pieces };
}
