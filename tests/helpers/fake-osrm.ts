/**
 * A local HTTP server that answers like osrm-routed (v5 API) for the client's tests and benchmark:
 * same URL shapes and JSON fields, durations and distances from the estimate so they can be checked,
 * the same TooBig rule as --max-table-size (checked before snapping, as OSRM does), and fault
 * injection. Like a real server built from an extract, it can cover only an area: points outside
 * snap to its edge, hundreds of km away; it can refuse points with NoSegment naming their index in
 * the request (not in the caller's list), and report a `data_version`. CORS headers as osrm-routed.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { estimateTrip, haversineMetres } from '../../src/core/routing/estimate';

export interface FakeOsrmOptions {
  maxTableSize?: number;
  /** Called for each request; returning a value replaces the normal answer. */
  fault?: (request: { path: string; count: number }) => { status: number; body: string } | 'hang' | null;
  /** Source × destination pairs answered with null (unroutable), as "s,d" in request-local indices of the full coordinate list. */
  nullPairs?: (from: [number, number], to: [number, number]) => boolean;
  /** Distance (m) reported between given and snapped points. */
  snapDistance?: (point: [number, number]) => number;
  /** [west, south, east, north] of the extract: points outside snap to its nearest edge. */
  area?: [number, number, number, number];
  /** Points the server finds no segment for: answered NoSegment with their index in the request. */
  noSegment?: (point: [number, number]) => boolean;
  /** `data_version` in every Ok answer (as `osrm-extract --data_version` sets it); read at each request. */
  dataVersion?: () => string | undefined;
}

export interface FakeOsrm {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export async function startFakeOsrm(options: FakeOsrmOptions = {}): Promise<FakeOsrm> {
  const requests: string[] = [];
  const max = options.maxTableSize ?? 100;
  const hanging: ServerResponse[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url.pathname + url.search);
    const fault = options.fault?.({ path: url.pathname, count: requests.length });
    if (fault === 'hang') {
      hanging.push(res);
      return;
    }
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (fault) return send(fault.status, fault.body);
    const match = /^\/(table)\/v1\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!match) return send(400, { code: 'InvalidUrl', message: 'URL string malformed' });
    const coordinates = match[3].split(';').map((pair) => pair.split(',').map(Number) as [number, number]);
    if (coordinates.some((c) => c.length !== 2 || c.some((v) => !Number.isFinite(v)))) return send(400, { code: 'InvalidQuery', message: 'Query string malformed' });
    const snapped = (c: [number, number]): { location: [number, number]; distance: number } => {
      if (!options.area) return { location: c, distance: options.snapDistance?.(c) ?? 3 };
      const [west, south, east, north] = options.area;
      const location: [number, number] = [Math.min(east, Math.max(west, c[0])), Math.min(north, Math.max(south, c[1]))];
      const off = haversineMetres({ lon: c[0], lat: c[1] }, { lon: location[0], lat: location[1] });
      return { location, distance: off > 0 ? off : (options.snapDistance?.(c) ?? 3) };
    };
    const waypoint = (c: [number, number]) => ({ ...snapped(c), name: '' });
    const version = options.dataVersion?.();
    const ok = (body: Record<string, unknown>) => send(200, { code: 'Ok', ...body, ...(version ? { data_version: version } : {}) });
    const indices = (name: string) => (url.searchParams.get(name) ? url.searchParams.get(name)!.split(';').map(Number) : coordinates.map((_, i) => i));
    const sources = indices('sources');
    const destinations = indices('destinations');
    if (sources.length * destinations.length > max * max) return send(400, { code: 'TooBig', message: 'Too many table coordinates' });
    const missing = coordinates.findIndex((c) => options.noSegment?.(c));
    if (missing >= 0) return send(400, { code: 'NoSegment', message: `Could not find a matching segment for coordinate ${missing}` });
    // Times between the snapped locations, as a real server computes them.
    const trip = (s: number, d: number) => {
      const a = snapped(coordinates[s]).location;
      const b = snapped(coordinates[d]).location;
      return estimateTrip({ lon: a[0], lat: a[1] }, { lon: b[0], lat: b[1] });
    };
    const cells = (field: 'seconds' | 'metres') =>
      sources.map((s) => destinations.map((d) => (options.nullPairs?.(coordinates[s], coordinates[d]) ? null : coordinates[s] === coordinates[d] ? 0 : trip(s, d)[field])));
    ok({ durations: cells('seconds'), distances: cells('metres'), sources: sources.map((s) => waypoint(coordinates[s])), destinations: destinations.map((d) => waypoint(coordinates[d])) });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
