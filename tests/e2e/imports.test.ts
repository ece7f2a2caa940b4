import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openWithScenario, sharedBrowser } from './browser';

const browser = sharedBrowser();

type Handle = {
  __maillage: {
    app: { establishments: { uai: string; sector: string }[] };
    planning: { plan: { id: string; name: string; assignment: Record<string, string>; teams: { name: string }[] } | null; summaries: { id: string }[]; load(id: string): Promise<unknown>; flush(): Promise<void> };
  };
};

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

async function notice(page: Page, before: string | null): Promise<string> {
  await expect.poll(async () => (await page.getByTestId('notice').count()) > 0 && (await page.getByTestId('notice').textContent()) !== before, { timeout: 30_000 }).toBe(true);
  return (await page.getByTestId('notice').textContent()) ?? '';
}

async function closeNotice(page: Page): Promise<void> {
  if ((await page.getByTestId('notice').count()) > 0) await page.getByTestId('notice').getByRole('button', { name: 'Fermer' }).click();
}

function readable(text: string): void {
  expect(text).not.toMatch(/undefined|\[object Object\]/);
  // eslint-disable-next-line no-control-regex -- raw control characters must never reach the page
  expect(text).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/);
}

describe('imports in the browser', () => {
  it('turns the nastiest files into notices, keeps the open proposal and neutralises formulas in the export', async () => {
    const { page, errors } = await openWithScenario(browser(), '52', 'pdl-2025');
    const original = await page.evaluate(() => {
      const planning = (window as unknown as Handle).__maillage.planning;
      return JSON.stringify(planning.plan);
    });
    const originalId = (JSON.parse(original) as { id: string }).id;
    const lycees = await page.evaluate(() => (window as unknown as Handle).__maillage.app.establishments.filter((e) => e.sector === 'public').slice(0, 3).map((e) => e.uai));

    // Proposal files: deeply nested settings in UTF-16, JSON null, a real .xls.
    const deep = `{"format":"maillage-proposal","version":1,"plan":{"name":"x","regionCode":"52","teams":[],"assignment":{},"settings":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}}`;
    const refusals: [string, string, Buffer, RegExp][] = [
      ['proposal-file', 'profond.maillage.json', utf16le(deep), /imbrication trop profonde/],
      ['proposal-file', 'null.json', Buffer.from('null'), /pas une proposition Maillage/],
      ['proposal-file', 'vieux.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]), /Excel 97-2003 \(\.xls\)/],
      ['plan-file', 'sans-region.geojson', Buffer.from(JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: null, properties: { objet: 'lycee', uai: { a: 1 } } }], maillage: { format: 'maillage-geojson', version: 1, teams: 'x' } })), /Région \(region\.code\) est absente/],
      ['plan-file', 'binaire.csv', Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256)), /Fichier binaire/],
    ];
    let last: string | null = null;
    for (const [input, name, buffer, expected] of refusals) {
      await page.getByTestId(input).setInputFiles({ name, mimeType: 'application/octet-stream', buffer });
      last = await notice(page, last);
      expect(last).toContain('Import refusé');
      expect(last).toMatch(expected);
      expect(last.length).toBeLessThan(1000);
      readable(last);
      expect(await page.evaluate(() => (window as unknown as Handle).__maillage.planning.plan?.id)).toBe(originalId);
      await closeNotice(page);
      last = null;
    }

    // PC park: 10,001 headers in UTF-16; then an unclosed quote, a 1 MB cell and control characters.
    await page.getByTestId('pc-file').setInputFiles({ name: 'large.csv', mimeType: 'text/csv', buffer: utf16le(`${Array.from({ length: 10_001 }, (_, i) => `c${i}`).join('\t')}\r\n`) });
    const alert = page.locator('[aria-label="Parc informatique"] [role="alert"]');
    await expect.poll(() => alert.textContent()).toContain('introuvable');
    expect((await alert.textContent())!.length).toBeLessThan(600);
    const nasty = `UAI;Nombre de PC\n${lycees[0]};120\n"${lycees[1]};40\n${'0490001'.repeat(150_000)};3\n${lycees[2]}\u0000\u202e;7\n${lycees[1]};-2\n`;
    await page.getByTestId('pc-file').setInputFiles({ name: 'parc.csv', mimeType: 'text/csv', buffer: Buffer.from(nasty, 'utf8') });
    await expect.poll(() => page.getByTestId('pc-accepted').textContent()).toBe('1');
    expect(await page.getByTestId('pc-rejected').textContent()).toBe('4');
    const report = (await page.getByTestId('pc-report').textContent())!;
    readable(report);
    expect(report).toContain('Ligne 3');
    expect(report).toContain('‹U+0000›');
    expect(report.length).toBeLessThan(3000);
    await page.getByRole('button', { name: 'Abandonner' }).click();

    // Drive-time matrix: JSON null.
    await page.getByTestId('matrix-file').setInputFiles({ name: 'matrice.json', mimeType: 'application/json', buffer: Buffer.from('null') });
    const matrixAlert = page.locator('[aria-label="Temps de trajet"] [role="alert"]');
    await expect.poll(() => matrixAlert.textContent()).toContain('trouvé null');
    readable((await matrixAlert.textContent())!);

    // A plan whose team name is a formula: imported with its other rows, then exported neutralised.
    const csv = `UAI;Équipe\n${lycees[0]};=cmd|' /C calc'!A0\n${lycees[1]};Nord\n"${lycees[2]};Sud\n`;
    await page.getByTestId('plan-file').setInputFiles({ name: 'formule.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    const imported = await notice(page, null);
    expect(imported).toContain('Plan importé');
    expect(imported).toContain('Ligne 4 : guillemet ouvert');
    readable(imported);
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.getByTestId('export-csv').click()]);
    const exported = (await import('node:fs')).readFileSync((await download.path())!, 'utf8');
    expect(exported).toContain(`${lycees[0]};`);
    expect(exported).toMatch(/;'=cmd\|' \/C calc'!A0;/);

    // The proposal open before all this is stored unchanged.
    await page.evaluate(() => (window as unknown as Handle).__maillage.planning.flush());
    const stored = await page.evaluate((id) => (window as unknown as Handle).__maillage.planning.load(id), originalId);
    expect(JSON.stringify(stored)).toBe(original);
    expect(errors).toEqual([]);
  });
});
