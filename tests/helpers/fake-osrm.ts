/**
 * A local HTTP server that answers like osrm-routed (v5 API) for the client's tests and benchmark:
 * same URL shapes and JSON fields, durations and distances from the estimate so they can be checked,
 * the same TooBig rule as --max-table-size, and fault injection.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { estimateTrip } from '../../src/core/routing/estimate';

export interface FakeOsrmOptions {
  maxTableSize?: number;
  /** Called for each request; returning a value replaces the normal answer. */
  fault?: (request: { path: string; count: number }) => { status: number; body: string } | 'hang' | null;
  /** Source × destination pairs answered with null (unroutable), as "s,d" in request-local indices of the full coordinate list. */
  nullPairs?: (from: [number, number], to: [number, number]) => boolean;
  /** Distance (m) reported between given and snapped points. */
  snapDistance?: (point: [number, number]) => number;
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
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (fault) return send(fault.status, fault.body);
    const match = /^\/(table|route)\/v1\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!match) return send(400, { code: 'InvalidUrl', message: 'URL string malformed' });
    const coordinates = match[3].split(';').map((pair) => pair.split(',').map(Number) as [number, number]);
    if (coordinates.some((c) => c.length !== 2 || c.some((v) => !Number.isFinite(v)))) return send(400, { code: 'InvalidQuery', message: 'Query string malformed' });
    const waypoint = (c: [number, number]) => ({ location: c, distance: options.snapDistance?.(c) ?? 3, name: '' });
    if (match[1] === 'route') {
      const trip = estimateTrip({ lon: coordinates[0][0], lat: coordinates[0][1] }, { lon: coordinates[1][0], lat: coordinates[1][1] });
      return send(200, { code: 'Ok', routes: [{ duration: trip.seconds, distance: trip.metres, geometry: { type: 'LineString', coordinates: [coordinates[0], coordinates[1]] } }], waypoints: coordinates.map(waypoint) });
    }
    const indices = (name: string) => (url.searchParams.get(name) ? url.searchParams.get(name)!.split(';').map(Number) : coordinates.map((_, i) => i));
    const sources = indices('sources');
    const destinations = indices('destinations');
    if (sources.length * destinations.length > max * max) return send(400, { code: 'TooBig', message: 'Too many table coordinates' });
    const durations = sources.map((s) =>
      destinations.map((d) => (options.nullPairs?.(coordinates[s], coordinates[d]) ? null : s === d ? 0 : estimateTrip({ lon: coordinates[s][0], lat: coordinates[s][1] }, { lon: coordinates[d][0], lat: coordinates[d][1] }).seconds)),
    );
    const distances = sources.map((s) =>
      destinations.map((d) => (options.nullPairs?.(coordinates[s], coordinates[d]) ? null : s === d ? 0 : estimateTrip({ lon: coordinates[s][0], lat: coordinates[s][1] }, { lon: coordinates[d][0], lat: coordinates[d][1] }).metres)),
    );
    send(200, { code: 'Ok', durations, distances, sources: sources.map((s) => waypoint(coordinates[s])), destinations: destinations.map((d) => waypoint(coordinates[d])) });
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
