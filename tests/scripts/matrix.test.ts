import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMatrixFile } from '../../src/core/routing/matrix-file';
import { startFakeOsrm, type FakeOsrm } from '../helpers/fake-osrm';

const run = promisify(execFile);
let server: FakeOsrm;
beforeAll(async () => {
  server = await startFakeOsrm({ maxTableSize: 3 });
});
afterAll(async () => {
  await server.close();
});

describe('npm run matrix', () => {
  it('writes a matrix file of the public lycées and bases that the app can load', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maillage-'));
    const data = join(dir, 'establishments.json');
    const lycee = (uai: string, lat: number, lon: number, sector = 'public') => ({ uai, lat, lon, sector, name: uai });
    writeFileSync(data, JSON.stringify({ establishments: [lycee('0490003M', 47.45, -0.55), lycee('0490001K', 47.47, -0.56), lycee('0490002L', 47.5, -0.5, 'prive'), lycee('0530012A', 48.07, -0.77)] }));
    const bases = join(dir, 'bases.json');
    writeFileSync(bases, JSON.stringify([{ id: 'Base Cholet', lat: 47.06, lon: -0.88 }]));
    const out = join(dir, 'm.json');
    const { stdout } = await run('npx', ['tsx', 'scripts/matrix.ts', '--region', '52', '--osrm', server.url, '--data', data, '--bases', bases, '--out', out, '--max-table-size', '3']);
    expect(stdout).toContain('4 × 4');
    const file = readMatrixFile(readFileSync(out, 'utf8'));
    if (!file.ok) throw new Error(file.reason);
    expect(file.points.map((p) => p.id)).toEqual(['0490003M', '0490001K', '0530012A', 'Base Cholet']);
    expect(file.matrix.durations[0]).toBe(0);
    expect(file.matrix.durations.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('fails clearly when the Région data is missing', async () => {
    const failed = await run('npx', ['tsx', 'scripts/matrix.ts', '--region', '52', '--osrm', server.url, '--data', 'tests/fixtures/none.json']).catch((e: { stderr: string; code: number }) => e);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toContain('introuvables');
  });
});
