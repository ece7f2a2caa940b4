import { describe, expect, it } from 'vitest';
import type { Feature, Polygon } from 'geojson';
import { communeGraph, communeTeams, locatePoints, territoryPieces, type CommuneLayer, type ScenePoint } from '../../../src/core/document/scene';
import { fitProjection, niceScaleLength, paddedHull, tintRgb } from '../../../src/core/document/render';

/** A 4 × 2 grid of unit-square communes sharing their vertices: codes c00…c31 (column, row). */
function grid(): CommuneLayer {
  const features: Feature<Polygon>[] = [];
  for (let x = 0; x < 4; x++)
    for (let y = 0; y < 2; y++)
      features.push({
        type: 'Feature',
        properties: { code: `c${x}${y}`, nom: `Commune ${x}${y}` },
        geometry: { type: 'Polygon', coordinates: [[[x, y], [x + 1, y], [x + 1, y + 1], [x, y + 1], [x, y]]] },
      });
  return { type: 'FeatureCollection', features };
}

const point = (uai: string, lon: number, lat: number, teamId: string | null, communeCode: string | null = null): ScenePoint => ({ uai, lon, lat, teamId, communeCode });

describe('commune scene', () => {
  it('finds neighbours and shared segments from identical vertices', () => {
    const graph = communeGraph(grid());
    // c00 (index 0) touches c01 (above, index 1) and c10 (right, index 2).
    expect(graph.neighbours[0]).toEqual([1, 2]);
    expect(graph.neighbours[3]).toEqual([1, 2, 5]);
    // 4 × 2 grid: 3 vertical × 2 + 4 horizontal inner edges.
    expect(graph.owners.length / 2).toBe(10);
    expect([...graph.centres.subarray(0, 2)]).toEqual([0.5, 0.5]);
  });

  it('locates lycées by commune code, else by polygon', () => {
    const communes = grid();
    const graph = communeGraph(communes);
    const located = locatePoints([point('A', 0.5, 0.5, 't1', 'c31'), point('B', 2.5, 1.5, 't1'), point('C', 9, 9, 't1')], communes, graph);
    expect([...located]).toEqual([7, 5, -1]);
  });

  it('gives each commune the majority team of its lycées and grows territories to empty neighbours', () => {
    const communes = grid();
    const graph = communeGraph(communes);
    const points = [point('A', 0.5, 0.5, 'west'), point('B', 0.4, 0.6, 'west'), point('C', 0.6, 0.4, 'east'), point('D', 3.5, 1.5, 'east'), point('E', 1.5, 1.5, null)];
    const teams = communeTeams(points, locatePoints(points, communes, graph), graph);
    // c00 west (2 against 1); c31 east; the others reached breadth first, one ring at a time.
    expect(teams).toEqual(['west', 'west', 'west', 'west', 'west', 'east', 'east', 'east']);
    expect(territoryPieces(teams, graph, new Set(locatePoints(points, communes, graph)))).toEqual(new Map([['west', 1], ['east', 1]]));
  });

  it('counts separate pieces holding lycées (communes touching at a corner only are apart)', () => {
    const graph = communeGraph(grid());
    const teams = ['a', 'b', 'b', 'a', 'a', 'b', 'b', 'b'];
    // a: c00, c11 and c20, which touch each other at corners only; b: c01, c10 and c21-c30-c31.
    expect(territoryPieces(teams, graph, new Set([0, 1, 2, 3, 4, 5, 6, 7]))).toEqual(new Map([['a', 3], ['b', 3]]));
    // Pieces without a lycée do not count.
    expect(territoryPieces(teams, graph, new Set([0, 7]))).toEqual(new Map([['a', 1], ['b', 1]]));
  });

  it('leaves every commune without a team when nothing is assigned', () => {
    const communes = grid();
    const graph = communeGraph(communes);
    expect(communeTeams([], new Int32Array(0), graph).every((t) => t === null)).toBe(true);
  });
});

describe('map drawing helpers', () => {
  it('fits the frame inside the rectangle, keeping the aspect ratio', () => {
    const p = fitProjection([2, 49, 4, 51], { x: 100, y: 50, width: 1000, height: 500 }, 0);
    expect(p.y(51)).toBeCloseTo(50, 6);
    expect(p.y(49)).toBeCloseTo(550, 6);
    expect((p.x(2) + p.x(4)) / 2).toBeCloseTo(600, 6);
    expect(p.x(4) - p.x(2)).toBeLessThan(1000);
    // About 1.4 km per pixel at 50° N for 2° of latitude over 500 px.
    expect(p.metresPerPixel).toBeGreaterThan(300);
    expect(p.metresPerPixel).toBeLessThan(700);
  });

  it('pads zone hulls and picks round scale lengths', () => {
    const hull = paddedHull([[0, 0], [10, 0], [5, 5]], 2);
    expect(Math.min(...hull.map((h) => h[1]))).toBeCloseTo(-2, 6);
    expect(Math.max(...hull.map((h) => h[0]))).toBeCloseTo(12, 6);
    expect(niceScaleLength(73_000)).toBe(50_000);
    expect(niceScaleLength(1_900)).toBe(1_000);
    expect(tintRgb('#000000')).toEqual([115, 115, 115]);
    expect(tintRgb('#ff0000')).toEqual([255, 115, 115]);
  });
});
