/**
 * Chart geometry for the compare view: d3 computes scales, bins and ticks; Svelte draws the SVG.
 * Series A (the reference proposal) in slate, B (the compared one) in blue.
 */
import { bin, max, scaleBand, scaleLinear } from 'd3';

export const SERIES_COLOURS = { a: '#94a3b8', b: '#2563eb' } as const;

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
  colour: string;
  title: string;
}

export interface Tick {
  position: number;
  label: string;
}

export interface ChartGeometry {
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  bars: Rect[];
  bands: Rect[];
  xTicks: Tick[];
  yTicks: Tick[];
}

const MARGIN = { left: 56, top: 10, right: 28, bottom: 96 };

const fr = (value: number, digits = 0) => value.toLocaleString('fr-FR', { maximumFractionDigits: digits });

export interface TeamValue {
  name: string;
  a: number | null;
  b: number | null;
}

/** Grouped bars per team, with each proposal's tolerance band (mean per technician ± tolerance). */
export function perTeamBars(rows: readonly TeamValue[], bands: { a: [number, number] | null; b: [number, number] | null }, width: number, height: number): ChartGeometry {
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const x = scaleBand<string>().domain(rows.map((r) => r.name)).range([plot.left, plot.right]).padding(0.2);
  const inner = scaleBand<'a' | 'b'>().domain(['a', 'b']).range([0, x.bandwidth()]).padding(0.08);
  const top = max([...rows.flatMap((r) => [r.a ?? 0, r.b ?? 0]), bands.a?.[1] ?? 0, bands.b?.[1] ?? 0]) ?? 1;
  const y = scaleLinear().domain([0, top * 1.08 || 1]).nice().range([plot.bottom, plot.top]);
  const bars: Rect[] = rows.flatMap((row) =>
    (['a', 'b'] as const).flatMap((series) => {
      const value = row[series];
      if (value === null) return [];
      return [{ x: x(row.name)! + inner(series)!, y: y(value), width: inner.bandwidth(), height: y(0) - y(value), colour: SERIES_COLOURS[series], title: `${row.name} (${series.toUpperCase()}) : ${fr(value, 1)}` }];
    }),
  );
  const bandRects: Rect[] = (['a', 'b'] as const).flatMap((series) => {
    const band = bands[series];
    if (!band) return [];
    return [{ x: plot.left, y: y(band[1]), width: plot.right - plot.left, height: y(band[0]) - y(band[1]), colour: SERIES_COLOURS[series], title: `Bande de tolérance ${series.toUpperCase()} : ${fr(band[0])} – ${fr(band[1])}` }];
  });
  return {
    width,
    height,
    plot,
    bars,
    bands: bandRects,
    xTicks: rows.map((r) => ({ position: x(r.name)! + x.bandwidth() / 2, label: r.name.length > 22 ? `${r.name.slice(0, 21)}…` : r.name })),
    yTicks: y.ticks(5).map((t) => ({ position: y(t), label: fr(t) })),
  };
}

/** Histogram of drive times (minutes) for both proposals, on shared bins. */
export function driveHistogram(a: readonly number[], b: readonly number[], width: number, height: number): ChartGeometry {
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - 30 };
  const top = Math.max(10, max([...a, ...b]) ?? 10);
  const x = scaleLinear().domain([0, top]).nice().range([plot.left, plot.right]);
  const binner = bin<number, number>().domain(x.domain() as [number, number]).thresholds(x.ticks(16));
  const binsA = binner([...a]);
  const binsB = binner([...b]);
  const y = scaleLinear()
    .domain([0, Math.max(1, max([...binsA, ...binsB], (d) => d.length) ?? 1)])
    .nice()
    .range([plot.bottom, plot.top]);
  const bars: Rect[] = [];
  binsA.forEach((binA, i) => {
    const binB = binsB[i];
    const x0 = x(binA.x0!);
    const w = Math.max(1, (x(binA.x1!) - x0) / 2 - 1);
    for (const [series, values, offset] of [
      ['a', binA, 0],
      ['b', binB, w + 1],
    ] as const) {
      bars.push({ x: x0 + offset, y: y(values.length), width: w, height: y(0) - y(values.length), colour: SERIES_COLOURS[series], title: `${series.toUpperCase()} : ${values.length} lycée(s) entre ${fr(binA.x0!)} et ${fr(binA.x1!)} min` });
    }
  });
  return {
    width,
    height,
    plot,
    bars,
    bands: [],
    xTicks: x.ticks(8).map((t) => ({ position: x(t), label: `${fr(t)} min` })),
    yTicks: y.ticks(4).map((t) => ({ position: y(t), label: fr(t) })),
  };
}
