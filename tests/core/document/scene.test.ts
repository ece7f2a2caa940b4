import { describe, expect, it } from 'vitest';
import type { Feature, Polygon } from 'geojson';
import { communeOutlines, communeScene, communeTerritory, type CommuneLayer, type ScenePoint } from '../../../src/core/document/scene';
import { fitProjection, niceScaleLength, paddedHull, tintRgb } from '../../../src/core/document/render';
import { communeGraph, placePoints } from '../../../src/core/territory/graph';
import { computeTerritory, territoryContext } from '../../../src/core/territory/model';

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
  it('finds shared segments from identical vertices, boxes and label points', () => {
    const outlines = communeOutlines(grid());
    // 4 × 2 grid: 3 vertical × 2 + 4 horizontal inner edges, each between the communes it separates.
    expect(outlines.owners.length / 2).toBe(10);
    expect([...outlines.owners.subarray(0, 2)]).toEqual([0, 1]);
    expect([...outlines.segments.subarray(0, 4)]).toEqual([0, 1, 1, 1]);
    expect([...outlines.boxes.subarray(4, 8)]).toEqual([0, 1, 1, 2]);
    expect([...outlines.centres.subarray(0, 2)]).toEqual([0.5, 0.5]);
  });

  it('draws the territory model: owners (a split commune in its main team), labels and pieces', () => {
    const communes = grid();
    // c00 holds two west lycées and one east (split, west has most); c31 east; C by its commune code.
    const points = [point('A', 0.5, 0.5, 'west'), point('B', 0.4, 0.6, 'west'), point('C', 9, 9, 'east', 'c00'), point('D', 3.5, 1.5, 'east')];
    const scene = communeScene(communes, null);
    const { territory, pieces } = communeTerritory(scene, points);
    const graph = communeGraph(communes);
    const model = computeTerritory(territoryContext(graph, placePoints(graph, communes, points), points), { A: 'west', B: 'west', C: 'east', D: 'east' });
    expect(model.split.get(0)).toEqual(['east', 'west']);
    expect(territory.kind).toBe('communes');
    if (territory.kind !== 'communes') return;
    expect(territory.teams).toEqual(model.owner);
    expect(territory.teams[0]).toBe('west');
    expect(pieces).toEqual(new Map([...model.teams].map(([teamId, t]) => [teamId, t.pieces])));
    expect(territory.labels.get('east')).toEqual(model.teams.get('east')!.label);
    expect(scene.communeOf.get('C')).toBe(0);
  });

  it('leaves every commune without a team when nothing is assigned', () => {
    const { territory, pieces } = communeTerritory(communeScene(grid(), null), [point('A', 0.5, 0.5, null)]);
    expect(territory.kind === 'communes' && territory.teams.every((t) => t === null)).toBe(true);
    expect(pieces.size).toBe(0);
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
