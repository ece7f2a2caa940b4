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

  it('refuses malformed options with the option named, before contacting the server', async () => {
    const sent = server.requests.length;
    for (const [args, expected] of [
      [['--max-table-size', 'abc'], '--max-table-size : « abc » n’est pas un nombre entier'],
      [['--max-table-size', '0'], '--max-table-size : 0 est hors limites'],
      [['--concurrency', '2.5'], '--concurrency : « 2.5 » n’est pas un nombre entier'],
      [['--profile', 'bike'], 'L’option --profile n’existe plus'],
    ] as const) {
      const failed = await run('npx', ['tsx', 'scripts/matrix.ts', '--region', '52', '--osrm', server.url, ...args]).catch((e: { stderr: string; code: number }) => e);
      expect((failed as { code: number }).code).toBe(2);
      expect((failed as { stderr: string }).stderr).toContain(expected);
    }
    const dir = mkdtempSync(join(tmpdir(), 'maillage-'));
    writeFileSync(join(dir, 'bases.json'), JSON.stringify([{ id: 'Base', lat: 50.1, lon: 'x' }]));
    const badBases = await run('npx', ['tsx', 'scripts/matrix.ts', '--region', '32', '--osrm', server.url, '--bases', join(dir, 'bases.json')]).catch((e: { stderr: string; code: number }) => e);
    expect((badBases as { stderr: string }).stderr).toContain('--bases : l’élément n° 1');
    const badUrl = await run('npx', ['tsx', 'scripts/matrix.ts', '--region', '52', '--osrm', 'localhost:5000']).catch((e: { stderr: string; code: number }) => e);
    expect((badUrl as { stderr: string }).stderr).toContain('--osrm : « localhost:5000 » : l’adresse doit commencer par http:// ou https://');
    expect(server.requests.length).toBe(sent);
  });

  it('fails clearly when the Région data is missing', async () => {
    const failed = await run('npx', ['tsx', 'scripts/matrix.ts', '--region', '52', '--osrm', server.url, '--data', 'tests/fixtures/none.json']).catch((e: { stderr: string; code: number }) => e);
    expect((failed as { code: number }).code).toBe(1);
    expect((failed as { stderr: string }).stderr).toContain('introuvables');
  });
});

describe('npm run matrix against a server of the wrong area', () => {
  it('refuses the matrix with the coverage message and writes no file', async () => {
    const wrong = await startFakeOsrm({ area: [-1.2, 47.0, 0.2, 48.2] });
    try {
      const dir = mkdtempSync(join(tmpdir(), 'maillage-'));
      const data = join(dir, 'establishments.json');
      const lycee = (uai: string, lat: number, lon: number, departement: string) => ({ uai, lat, lon, sector: 'public', name: `Lycée ${uai}`, departement });
      writeFileSync(data, JSON.stringify({ establishments: [lycee('0490003M', 47.45, -0.55, '49'), lycee('0490001K', 47.47, -0.56, '49'), lycee('0530012A', 48.07, -0.77, '53'), lycee('0850025K', 46.67, -1.43, '85')] }));
      const out = join(dir, 'm.json');
      const failed = await run('npx', ['tsx', 'scripts/matrix.ts', '--region', '52', '--osrm', wrong.url, '--data', data, '--out', out]).catch((e: { stderr: string; code: number }) => e);
      expect((failed as { code: number }).code).toBe(1);
      expect((failed as { stderr: string }).stderr).toContain('Le serveur ne couvre pas 1 lycée de la Région (département 85) : vérifiez l’extrait OSM.');
      expect((failed as { stderr: string }).stderr).toContain('0850025K (Lycée 0850025K)');
      expect(() => readFileSync(out)).toThrow();

      // One lycée outside among 25: the matrix is kept, the lycée gets the estimate, listed as an error.
      const many = Array.from({ length: 24 }, (_, i) => lycee(`049${String(1000 + i).padStart(4, '0')}${'ABCDEFGHJKLMNPRSTUVWXYZ'[(491000 + i) % 23]}`, 47.1 + i * 0.04, -0.9 + i * 0.03, '49'));
      writeFileSync(data, JSON.stringify({ establishments: [...many, lycee('0850025K', 46.67, -1.43, '85')] }));
      const { stdout } = await run('npx', ['tsx', 'scripts/matrix.ts', '--region', '52', '--osrm', wrong.url, '--data', data, '--out', out]);
      expect(stdout).toContain('Erreur de couverture : 1 point(s) hors couverture du serveur, estimation utilisée :');
      expect(stdout).toMatch(/0850025K \(Lycée 0850025K\) : à \d+ m de la route la plus proche/);
      const file = readMatrixFile(readFileSync(out, 'utf8'));
      if (!file.ok) throw new Error(file.reason);
      expect(file.matrix.provider.label).toContain('estimation pour 1 point hors couverture du serveur');
      expect(file.matrix.farSnaps.map((f) => f.point.index)).toEqual([24, 24]);
    } finally {
      await wrong.close();
    }
  });
});
