/**
 * Draws the organisation map on a 2D canvas context (an OffscreenCanvas in the document worker):
 * team territories filled with a tint of the team colour, team borders, département and Région
 * limits, continuity zones (padded hull of the members, clipped to the Région so that no outline
 * spills abroad or into the sea), lycées sized by students, bases, place names and team names; with
 * `chrome`, the page around it: a title that wraps, subtitle, legend of every symbol, scale bar,
 * north arrow, date and sources. Web Mercator, like the interactive map.
 */
import type { Position } from 'geojson';
import { frenchNumber, frenchTypography, NBSP, plural } from './french.ts';
import { legendLayout, wrapText } from './layout.ts';
import { polygonsOf, type CommuneLayer, type CommuneOutlines } from './scene.ts';

type Ctx = OffscreenCanvasRenderingContext2D;

export interface MapTeam {
  id: string;
  name: string;
  colour: string;
  lycees: number;
  technicians: number;
  base: { lat: number; lon: number; label: string } | null;
}

export interface MapLycee {
  lat: number;
  lon: number;
  teamId: string | null;
  students: number | null;
}

export interface MapZone {
  teamId: string;
  points: { lat: number; lon: number }[];
}

export interface MapPlace {
  name: string;
  lat: number;
  lon: number;
  population: number;
}

/**
 * A territory drawn as one shape per commune, or one shape per team. With communes, `teams` is the
 * territory model's owner of each commune (a split commune's main team) and `labels` its place for
 * each team's name, as on the interactive map.
 */
export type Territory =
  | { kind: 'communes'; communes: CommuneLayer; outlines: CommuneOutlines; teams: (string | null)[]; labels: Map<string, [number, number]> }
  | { kind: 'areas'; areas: { teamId: string; polygons: Position[][][] }[] };

export interface MapData {
  territory: Territory | null;
  region: CommuneLayer;
  departements: CommuneLayer | null;
  teams: MapTeam[];
  /** Lycées in scope, assigned or not (unassigned ones are drawn as a warning). */
  lycees: MapLycee[];
  zones: MapZone[];
  places: MapPlace[];
}

export interface PictureSpec {
  width: number;
  height: number;
  /** Header, legend and footer around the map; without, the map fills the picture. */
  chrome: boolean;
  title: string;
  subtitle: string;
  date: string;
  sources: string;
  /** Teams drawn in colour (the others in grey) and framed; null: the whole Région. */
  focus: string[] | null;
}

const INK = '#111827';
const MUTED = '#4b5563';
const BORDER = '#1f2937';
const OTHER_TEAM = '#e5e7eb';
const NO_TEAM = '#f3f4f6';
const UNASSIGNED = '#dc2626';

function parseColour(colour: string): [number, number, number] {
  const hex = colour.trim().replace('#', '');
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex.slice(0, 6);
  const value = Number.parseInt(full, 16);
  if (!Number.isFinite(value) || full.length !== 6) return [128, 128, 128];
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** The territory fill: the team colour mixed with 45 % white, so that lycées and names stay readable. */
export function tintRgb(colour: string): [number, number, number] {
  const [r, g, b] = parseColour(colour).map((c) => Math.round(c * 0.55 + 255 * 0.45));
  return [r, g, b];
}

export const territoryTint = (colour: string) => `rgb(${tintRgb(colour).join(', ')})`;

const mercatorY = (lat: number) => Math.log(Math.tan(Math.PI / 4 + (Math.max(-85, Math.min(85, lat)) * Math.PI) / 360));
const mercatorX = (lon: number) => (lon * Math.PI) / 180;

export interface Projection {
  x: (lon: number) => number;
  y: (lat: number) => number;
  /** The pixel rectangle of the map (fitProjection's arguments: the projection can be rebuilt). */
  rect: { x: number; y: number; width: number; height: number };
  /** Metres per pixel at the frame's centre latitude. */
  metresPerPixel: number;
  frame: [number, number, number, number];
}

/** Fits the lon/lat box into the pixel rectangle (keeping the aspect ratio, centred, with a margin). */
export function fitProjection(box: [number, number, number, number], rect: { x: number; y: number; width: number; height: number }, margin = 0.04): Projection {
  const [w, s, e, n] = box;
  const x0 = mercatorX(w);
  const x1 = mercatorX(e);
  const y0 = mercatorY(s);
  const y1 = mercatorY(n);
  const scale = Math.min((rect.width * (1 - 2 * margin)) / Math.max(x1 - x0, 1e-9), (rect.height * (1 - 2 * margin)) / Math.max(y1 - y0, 1e-9));
  const cx = rect.x + rect.width / 2;
  const cy = rect.y + rect.height / 2;
  const mx = (x0 + x1) / 2;
  const my = (y0 + y1) / 2;
  const centreLat = (Math.atan(Math.sinh(my)) * 180) / Math.PI;
  return {
    x: (lon) => cx + (mercatorX(lon) - mx) * scale,
    y: (lat) => cy - (mercatorY(lat) - my) * scale,
    metresPerPixel: (6378137 * Math.cos((centreLat * Math.PI) / 180)) / scale,
    rect,
    frame: box,
  };
}

/** A round length (1, 2 or 5 × 10ⁿ metres) that fits in `maxMetres`. */
export function niceScaleLength(maxMetres: number): number {
  const power = 10 ** Math.floor(Math.log10(maxMetres));
  for (const step of [5, 2, 1]) if (step * power <= maxMetres) return step * power;
  return power;
}

function tracePolygons(ctx: Ctx, polygons: Position[][][], p: Projection): void {
  for (const polygon of polygons)
    for (const ring of polygon) {
      ring.forEach(([lon, lat], i) => (i === 0 ? ctx.moveTo(p.x(lon), p.y(lat)) : ctx.lineTo(p.x(lon), p.y(lat))));
      ctx.closePath();
    }
}

function traceLayer(ctx: Ctx, layer: CommuneLayer, p: Projection): void {
  ctx.beginPath();
  for (const feature of layer.features) tracePolygons(ctx, polygonsOf(feature), p);
}

/** Convex hull (monotone chain) of pixel points. */
function hull(points: [number, number][]): [number, number][] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted;
  const cross = (o: [number, number], a: [number, number], b: [number, number]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: [number, number][] = [];
  for (const pt of sorted) {
    while (lower.length >= 2 && cross(lower[lower.length - 2], lower[lower.length - 1], pt) <= 0) lower.pop();
    lower.push(pt);
  }
  const upper: [number, number][] = [];
  for (const pt of sorted.reverse()) {
    while (upper.length >= 2 && cross(upper[upper.length - 2], upper[upper.length - 1], pt) <= 0) upper.pop();
    upper.push(pt);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** Hull of the members padded by `pad` pixels (hull of small circles around each member). */
export function paddedHull(points: [number, number][], pad: number): [number, number][] {
  const around: [number, number][] = [];
  for (const [x, y] of points) for (let k = 0; k < 16; k++) around.push([x + pad * Math.cos((k * Math.PI) / 8), y + pad * Math.sin((k * Math.PI) / 8)]);
  return hull(around);
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
const overlaps = (a: Box, b: Box) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

function haloText(ctx: Ctx, text: string, x: number, y: number, halo: number): void {
  ctx.lineJoin = 'round';
  ctx.lineWidth = halo;
  ctx.strokeStyle = 'rgba(255,255,255,0.92)';
  ctx.strokeText(text, x, y);
  ctx.fillText(text, x, y);
}

function circleRadius(students: number | null, unit: number): number {
  return Math.max(unit * 0.14, unit * 0.11 * Math.sqrt(Math.max(students ?? 0, 0) / 100));
}

/** The lon/lat box of the focused teams' territory and lycées, or of the Région. */
function frameOf(data: MapData, focus: Set<string> | null): [number, number, number, number] {
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity];
  const extend = (lon: number, lat: number) => {
    if (lon < w) w = lon;
    if (lon > e) e = lon;
    if (lat < s) s = lat;
    if (lat > n) n = lat;
  };
  if (focus) {
    const t = data.territory;
    if (t?.kind === 'communes')
      t.teams.forEach((team, i) => {
        if (team !== null && focus.has(team)) {
          extend(t.outlines.boxes[i * 4], t.outlines.boxes[i * 4 + 1]);
          extend(t.outlines.boxes[i * 4 + 2], t.outlines.boxes[i * 4 + 3]);
        }
      });
    else if (t?.kind === 'areas') for (const a of t.areas) if (focus.has(a.teamId)) for (const poly of a.polygons) for (const [lon, lat] of poly[0]) extend(lon, lat);
    for (const l of data.lycees) if (l.teamId && focus.has(l.teamId)) extend(l.lon, l.lat);
  }
  if (!Number.isFinite(w)) for (const f of data.region.features) for (const poly of polygonsOf(f)) for (const [lon, lat] of poly[0]) extend(lon, lat);
  if (!Number.isFinite(w)) for (const l of data.lycees) extend(l.lon, l.lat);
  if (!Number.isFinite(w)) return [-5, 41, 10, 51];
  return [w, s, e, n];
}

/** Where each team's name goes: the territory model's label (in its largest piece), else the middle of its lycées. */
function teamAnchors(data: MapData, p: Projection): Map<string, [number, number]> {
  const anchors = new Map<string, [number, number]>();
  const t = data.territory;
  if (t?.kind === 'communes') {
    for (const [team, [lon, lat]] of t.labels) anchors.set(team, [p.x(lon), p.y(lat)]);
  } else if (t?.kind === 'areas') {
    for (const area of t.areas) {
      const ring = area.polygons.reduce((a, b) => (b[0].length > a[0].length ? b : a))[0];
      let [sx, sy] = [0, 0];
      for (const [lon, lat] of ring) [sx, sy] = [sx + p.x(lon), sy + p.y(lat)];
      anchors.set(area.teamId, [sx / ring.length, sy / ring.length]);
    }
  }
  for (const team of data.teams) {
    if (anchors.has(team.id)) continue;
    const own = data.lycees.filter((l) => l.teamId === team.id);
    if (own.length > 0) anchors.set(team.id, [own.reduce((s, l) => s + p.x(l.lon), 0) / own.length, own.reduce((s, l) => s + p.y(l.lat), 0) / own.length]);
  }
  return anchors;
}

function drawMap(ctx: Ctx, data: MapData, rect: { x: number; y: number; width: number; height: number }, unit: number, focus: Set<string> | null): Projection {
  const p = fitProjection(frameOf(data, focus), rect);
  const colours = new Map(data.teams.map((t) => [t.id, t.colour]));
  const visible = (box: Float64Array, i: number) => p.x(box[i * 4 + 2]) >= rect.x && p.x(box[i * 4]) <= rect.x + rect.width && p.y(box[i * 4 + 1]) >= rect.y && p.y(box[i * 4 + 3]) <= rect.y + rect.height;
  const fillOf = (team: string | null) => (team === null ? NO_TEAM : focus && !focus.has(team) ? OTHER_TEAM : territoryTint(colours.get(team) ?? '#888888'));
  ctx.save();
  ctx.beginPath();
  ctx.rect(rect.x, rect.y, rect.width, rect.height);
  ctx.clip();
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(rect.x, rect.y, rect.width, rect.height);

  // Territories. Each fill is also stroked in its own colour to close hairline seams between shapes.
  const t = data.territory;
  ctx.lineJoin = 'round';
  ctx.lineWidth = Math.max(1, unit * 0.04);
  if (t?.kind === 'communes') {
    const byFill = new Map<string, number[]>();
    t.teams.forEach((team, i) => {
      if (!visible(t.outlines.boxes, i)) return;
      const fill = fillOf(team);
      const list = byFill.get(fill) ?? [];
      list.push(i);
      byFill.set(fill, list);
    });
    for (const [fill, indices] of byFill) {
      ctx.beginPath();
      for (const i of indices) tracePolygons(ctx, polygonsOf(t.communes.features[i]), p);
      ctx.fillStyle = fill;
      ctx.strokeStyle = fill;
      ctx.fill('evenodd');
      ctx.stroke();
    }
  } else {
    traceLayer(ctx, data.region, p);
    ctx.fillStyle = NO_TEAM;
    ctx.fill('evenodd');
    if (t?.kind === 'areas')
      for (const area of t.areas) {
        ctx.beginPath();
        tracePolygons(ctx, area.polygons, p);
        const fill = fillOf(area.teamId);
        ctx.fillStyle = fill;
        ctx.strokeStyle = fill;
        ctx.fill('evenodd');
        ctx.stroke();
      }
  }

  if (data.departements) {
    traceLayer(ctx, data.departements, p);
    ctx.strokeStyle = '#9ca3af';
    ctx.lineWidth = Math.max(1, unit * 0.06);
    ctx.setLineDash([unit * 0.3, unit * 0.2]);
    ctx.stroke();
    ctx.setLineDash([]);
  }

  // Team borders.
  ctx.strokeStyle = BORDER;
  ctx.lineWidth = Math.max(1.5, unit * 0.13);
  ctx.lineCap = 'round';
  ctx.beginPath();
  if (t?.kind === 'communes') {
    const { segments, owners } = t.outlines;
    for (let k = 0; k < owners.length / 2; k++) {
      const a = t.teams[owners[k * 2]];
      const b = t.teams[owners[k * 2 + 1]];
      if (a === b) continue;
      ctx.moveTo(p.x(segments[k * 4]), p.y(segments[k * 4 + 1]));
      ctx.lineTo(p.x(segments[k * 4 + 2]), p.y(segments[k * 4 + 3]));
    }
  } else if (t?.kind === 'areas') for (const area of t.areas) tracePolygons(ctx, area.polygons, p);
  ctx.stroke();

  traceLayer(ctx, data.region, p);
  ctx.strokeStyle = INK;
  ctx.lineWidth = Math.max(1.5, unit * 0.12);
  ctx.stroke();

  // Continuity zones, clipped to the Région.
  ctx.save();
  traceLayer(ctx, data.region, p);
  ctx.clip('evenodd');
  ctx.setLineDash([unit * 0.25, unit * 0.15]);
  ctx.lineWidth = Math.max(1, unit * 0.07);
  for (const zone of data.zones) {
    if (focus && !focus.has(zone.teamId)) continue;
    const shape = paddedHull(
      zone.points.map((pt) => [p.x(pt.lon), p.y(pt.lat)]),
      unit * 0.45,
    );
    if (shape.length < 3) continue;
    ctx.beginPath();
    shape.forEach(([x, y], i) => (i === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y)));
    ctx.closePath();
    // Outline only: the territory keeps its team's colour (as in the legend) inside a zone.
    ctx.strokeStyle = '#374151';
    ctx.stroke();
  }
  ctx.restore();

  // Lycées: the largest first so that small ones stay visible on top.
  const lycees = [...data.lycees].sort((a, b) => (b.students ?? 0) - (a.students ?? 0));
  for (const l of lycees) {
    const x = p.x(l.lon);
    const y = p.y(l.lat);
    if (x < rect.x || x > rect.x + rect.width || y < rect.y || y > rect.y + rect.height) continue;
    const r = circleRadius(l.students, unit);
    ctx.beginPath();
    ctx.arc(x, y, r, 0, Math.PI * 2);
    if (l.teamId === null) {
      ctx.fillStyle = '#ffffff';
      ctx.fill();
      ctx.strokeStyle = UNASSIGNED;
      ctx.lineWidth = Math.max(1.5, unit * 0.09);
      ctx.stroke();
      continue;
    }
    ctx.fillStyle = focus && !focus.has(l.teamId) ? '#9ca3af' : (colours.get(l.teamId) ?? '#888888');
    ctx.fill();
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = Math.max(1, unit * 0.05);
    ctx.stroke();
  }

  // Bases.
  for (const team of data.teams) {
    if (!team.base || (focus && !focus.has(team.id))) continue;
    drawBase(ctx, p.x(team.base.lon), p.y(team.base.lat), unit, team.colour);
  }

  // Names: teams first (they matter most), then places where there is room (not under the scale
  // bar or the north arrow).
  const placed: Box[] = [
    { x0: rect.x, y0: rect.y + rect.height - unit * 2.6, x1: rect.x + rect.width * 0.2 + unit * 2, y1: rect.y + rect.height },
    { x0: rect.x + rect.width - unit * 2.2, y0: rect.y, x1: rect.x + rect.width, y1: rect.y + unit * 2.2 },
  ];
  const anchors = teamAnchors(data, p);
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  const teamFont = unit * (focus ? 0.9 : 0.75);
  ctx.font = `bold ${teamFont}px sans-serif`;
  // Where teams are small and close (a metropolis), a name that would cover another moves up or
  // down by a line, else is left out: the legend still names every team.
  const teamLabels: { name: string; x: number; y: number }[] = [];
  for (const team of data.teams) {
    const at = anchors.get(team.id);
    if (!at || (focus && !focus.has(team.id))) continue;
    const width = ctx.measureText(team.name).width;
    for (const dy of [0, -1.2, 1.2, -2.4, 2.4]) {
      const y = at[1] + dy * teamFont;
      const box = { x0: at[0] - width / 2, y0: y - teamFont / 2, x1: at[0] + width / 2, y1: y + teamFont / 2 };
      if (placed.some((b) => overlaps(b, box))) continue;
      placed.push(box);
      teamLabels.push({ name: team.name, x: at[0], y });
      break;
    }
  }
  ctx.font = `${unit * 0.55}px sans-serif`;
  ctx.fillStyle = MUTED;
  let placeCount = 0;
  for (const place of [...data.places].sort((a, b) => b.population - a.population)) {
    if (placeCount >= 40) break;
    const x = p.x(place.lon);
    const y = p.y(place.lat);
    if (x < rect.x || x > rect.x + rect.width || y < rect.y || y > rect.y + rect.height) continue;
    const width = ctx.measureText(place.name).width;
    const box = { x0: x - width / 2 - unit * 0.2, y0: y - unit * 0.9, x1: x + width / 2 + unit * 0.2, y1: y + unit * 0.1 };
    if (placed.some((b) => overlaps(b, box))) continue;
    placed.push(box);
    placeCount++;
    ctx.beginPath();
    ctx.arc(x, y, unit * 0.08, 0, Math.PI * 2);
    ctx.fill();
    haloText(ctx, place.name, x, y - unit * 0.45, unit * 0.18);
  }
  ctx.font = `bold ${teamFont}px sans-serif`;
  ctx.fillStyle = INK;
  for (const label of teamLabels) haloText(ctx, label.name, label.x, label.y, teamFont * 0.3);
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';

  drawNorthArrow(ctx, rect.x + rect.width - unit * 1.4, rect.y + unit * 1.2, unit);
  drawScaleBar(ctx, p, rect.x + unit, rect.y + rect.height - unit * 1.2, rect.width * 0.2, unit);
  ctx.restore();
  ctx.strokeStyle = '#9ca3af';
  ctx.lineWidth = Math.max(1, unit * 0.05);
  ctx.strokeRect(rect.x, rect.y, rect.width, rect.height);
  return p;
}

function drawBase(ctx: Ctx, x: number, y: number, unit: number, colour: string): void {
  const s = unit * 0.42;
  ctx.beginPath();
  ctx.rect(x - s, y - s, 2 * s, 2 * s);
  ctx.fillStyle = colour;
  ctx.fill();
  ctx.lineWidth = Math.max(1.5, unit * 0.12);
  ctx.strokeStyle = INK;
  ctx.stroke();
  ctx.beginPath();
  ctx.arc(x, y, s * 0.35, 0, Math.PI * 2);
  ctx.fillStyle = '#ffffff';
  ctx.fill();
}

function drawNorthArrow(ctx: Ctx, x: number, y: number, unit: number): void {
  ctx.beginPath();
  ctx.moveTo(x, y - unit * 0.5);
  ctx.lineTo(x + unit * 0.35, y + unit * 0.45);
  ctx.lineTo(x, y + unit * 0.25);
  ctx.lineTo(x - unit * 0.35, y + unit * 0.45);
  ctx.closePath();
  ctx.fillStyle = INK;
  ctx.fill();
  ctx.font = `bold ${unit * 0.6}px sans-serif`;
  ctx.textAlign = 'center';
  haloText(ctx, 'N', x, y - unit * 0.7, unit * 0.15);
  ctx.textAlign = 'left';
}

function drawScaleBar(ctx: Ctx, p: Projection, x: number, y: number, maxWidth: number, unit: number): void {
  const length = niceScaleLength(p.metresPerPixel * maxWidth);
  const bar = length / p.metresPerPixel;
  ctx.fillStyle = 'rgba(255,255,255,0.85)';
  ctx.fillRect(x - unit * 0.4, y - unit * 1.1, bar + unit * 0.8, unit * 1.5);
  ctx.fillStyle = INK;
  ctx.fillRect(x, y, bar, unit * 0.18);
  ctx.fillRect(x, y - unit * 0.25, unit * 0.07, unit * 0.43);
  ctx.fillRect(x + bar - unit * 0.07, y - unit * 0.25, unit * 0.07, unit * 0.43);
  ctx.font = `${unit * 0.55}px sans-serif`;
  ctx.fillText(length >= 1000 ? `${frenchNumber(length / 1000)}${NBSP}km` : `${frenchNumber(length)}${NBSP}m`, x, y - unit * 0.4);
}

/** Legend of every symbol; returns nothing, draws in the box. */
function drawLegend(ctx: Ctx, data: MapData, box: { x: number; y: number; width: number; height: number }, unit: number, focus: Set<string> | null): void {
  const font = unit * 0.62;
  let y = box.y + unit * 0.6;
  ctx.fillStyle = INK;
  ctx.font = `bold ${unit * 0.8}px sans-serif`;
  ctx.fillText('Équipes', box.x, y);
  y += unit * 0.5;
  const symbols = 9;
  const symbolsHeight = symbols * unit * 0.95 + unit * 1.4;
  const teams = focus ? data.teams.filter((t) => focus.has(t.id)) : data.teams;
  const layout = legendLayout(teams.length, { width: box.width, height: Math.max(unit, box.y + box.height - y - symbolsHeight) }, unit * 0.95, unit * 6.5);
  const scale = layout.scale;
  const columnWidth = box.width / layout.columns;
  teams.forEach((team, i) => {
    const cell = layout.cells[i];
    const cx = box.x + cell.x;
    const cy = y + cell.y + layout.rowHeight / 2;
    const sw = unit * 0.75 * scale;
    ctx.fillStyle = territoryTint(team.colour);
    ctx.fillRect(cx, cy - sw / 2, sw, sw);
    ctx.strokeStyle = BORDER;
    ctx.lineWidth = Math.max(1, unit * 0.05);
    ctx.strokeRect(cx, cy - sw / 2, sw, sw);
    ctx.beginPath();
    ctx.arc(cx + sw / 2, cy, sw * 0.25, 0, Math.PI * 2);
    ctx.fillStyle = team.colour;
    ctx.fill();
    ctx.fillStyle = INK;
    ctx.font = `${font * scale}px sans-serif`;
    ctx.textBaseline = 'middle';
    const text = layout.columns > 1 || teams.length > 20 ? `${team.name} · ${team.lycees} · ${team.technicians}` : `${team.name} · ${plural(team.lycees, 'lycée')} · ${team.technicians}${NBSP}tech.`;
    const [line] = wrapText(text, columnWidth - sw - unit * 0.6, (s) => ctx.measureText(s).width, 1);
    ctx.fillText(line ?? '', cx + sw + unit * 0.3, cy);
    ctx.textBaseline = 'alphabetic';
  });
  if (layout.columns > 1 || teams.length > 20) {
    ctx.font = `${font * 0.85}px sans-serif`;
    ctx.fillStyle = MUTED;
    y += layout.rowsPerColumn * layout.rowHeight + unit * 0.5;
    ctx.fillText('(nom · lycées · techniciens)', box.x, y);
  } else y += layout.rowsPerColumn * layout.rowHeight;

  y += unit * 1.2;
  ctx.fillStyle = INK;
  ctx.font = `bold ${unit * 0.8}px sans-serif`;
  ctx.fillText('Symboles', box.x, y);
  ctx.font = `${font}px sans-serif`;
  ctx.textBaseline = 'middle';
  const row = (draw: (cx: number, cy: number) => void, label: string) => {
    y += unit * 0.95;
    draw(box.x + unit * 0.4, y);
    ctx.fillStyle = INK;
    ctx.fillText(label, box.x + unit * 1.2, y);
  };
  row((cx, cy) => drawBase(ctx, cx, cy, unit * 0.8, '#9ca3af'), 'Base de l’équipe');
  row((cx, cy) => {
    ctx.strokeStyle = BORDER;
    ctx.lineWidth = Math.max(1.5, unit * 0.13);
    ctx.beginPath();
    ctx.moveTo(cx - unit * 0.4, cy);
    ctx.lineTo(cx + unit * 0.4, cy);
    ctx.stroke();
  }, 'Limite entre équipes');
  row((cx, cy) => {
    ctx.strokeStyle = '#9ca3af';
    ctx.lineWidth = Math.max(1, unit * 0.06);
    ctx.setLineDash([unit * 0.3, unit * 0.2]);
    ctx.beginPath();
    ctx.moveTo(cx - unit * 0.4, cy);
    ctx.lineTo(cx + unit * 0.4, cy);
    ctx.stroke();
    ctx.setLineDash([]);
  }, 'Limite de département');
  row((cx, cy) => {
    ctx.setLineDash([unit * 0.25, unit * 0.15]);
    ctx.strokeStyle = '#374151';
    ctx.lineWidth = Math.max(1, unit * 0.07);
    ctx.beginPath();
    ctx.ellipse(cx, cy, unit * 0.45, unit * 0.3, 0, 0, Math.PI * 2);
    ctx.stroke();
    ctx.setLineDash([]);
  }, 'Zone de continuité');
  row((cx, cy) => {
    ctx.beginPath();
    ctx.arc(cx, cy, circleRadius(300, unit), 0, Math.PI * 2);
    ctx.fillStyle = '#ffffff';
    ctx.fill();
    ctx.strokeStyle = UNASSIGNED;
    ctx.lineWidth = Math.max(1.5, unit * 0.09);
    ctx.stroke();
  }, 'Lycée public sans équipe');
  for (const students of [300, 1000, 2500])
    row((cx, cy) => {
      ctx.beginPath();
      ctx.arc(cx, cy, circleRadius(students, unit), 0, Math.PI * 2);
      ctx.fillStyle = '#6b7280';
      ctx.fill();
    }, `Lycée de ${frenchNumber(students)}${NBSP}élèves`);
  row((cx, cy) => {
    ctx.fillStyle = MUTED;
    ctx.beginPath();
    ctx.arc(cx, cy, unit * 0.08, 0, Math.PI * 2);
    ctx.fill();
  }, 'Commune (repère)');
  ctx.textBaseline = 'alphabetic';
}

/** Draws the whole picture; the context's canvas must be `spec.width` × `spec.height`. */
export function drawPicture(ctx: Ctx, data: MapData, spec: PictureSpec): Projection {
  const { width, height } = spec;
  // A map alone (a team's page) is printed smaller than the whole picture: larger symbols and names.
  const unit = Math.min(width, height * Math.SQRT2) / (spec.chrome ? 100 : 55);
  const focus = spec.focus ? new Set(spec.focus) : null;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  if (!spec.chrome) return drawMap(ctx, data, { x: 0, y: 0, width, height }, unit, focus);

  const measure = (s: string) => ctx.measureText(s).width;
  ctx.fillStyle = INK;
  const titleSize = unit * 1.9;
  ctx.font = `bold ${titleSize}px sans-serif`;
  const titleLines = wrapText(frenchTypography(spec.title), width - 2 * unit, measure, 3);
  let y = unit * 0.6;
  for (const line of titleLines) {
    y += titleSize * 1.15;
    ctx.fillText(line, unit, y);
  }
  const subtitleSize = unit * 1.05;
  ctx.font = `${subtitleSize}px sans-serif`;
  ctx.fillStyle = MUTED;
  for (const line of wrapText(frenchTypography(spec.subtitle), width - 2 * unit, measure, 2)) {
    y += subtitleSize * 1.35;
    ctx.fillText(line, unit, y);
  }
  const top = y + unit * 0.8;
  const footerSize = unit * 0.6;
  ctx.font = `${footerSize}px sans-serif`;
  const footerLines = wrapText(frenchTypography(`${spec.date} · ${spec.sources}`), width - 2 * unit, measure, 3);
  const bottom = height - unit * 0.6 - footerLines.length * footerSize * 1.3;
  const mapRect = { x: unit, y: top, width: width * 0.74, height: Math.max(unit * 10, bottom - top - unit * 0.4) };
  const projection = drawMap(ctx, data, mapRect, unit, focus);
  drawLegend(ctx, data, { x: mapRect.x + mapRect.width + unit, y: top, width: width - mapRect.width - 3 * unit, height: mapRect.height }, unit, focus);
  ctx.font = `${footerSize}px sans-serif`;
  ctx.fillStyle = MUTED;
  footerLines.forEach((line, i) => ctx.fillText(line, unit, bottom + (i + 1) * footerSize * 1.3));
  return projection;
}
