import { describe, expect, it } from 'vitest';
import { DEFAULT_ROUTING_SETTINGS, describeSettingsErrors, validateRoutingSettings } from '../../../src/core/routing/settings';

const valid = { osrmUrl: 'http://localhost:5000/', maxTableSize: '1000', concurrency: '4', snapThresholdMetres: '1000' };

describe('OSRM settings validation', () => {
  it('accepts a complete form and normalises the URL', () => {
    expect(validateRoutingSettings(valid)).toEqual({ ok: true, settings: { osrmUrl: 'http://localhost:5000', maxTableSize: 1000, concurrency: 4, snapThresholdMetres: 1000 } });
    expect(validateRoutingSettings({ ...DEFAULT_ROUTING_SETTINGS })).toMatchObject({ ok: true });
  });

  it('never reads an empty table size as a number (it once meant one cell per request)', () => {
    const result = validateRoutingSettings({ ...valid, maxTableSize: '' });
    expect(result).toEqual({ ok: false, errors: { maxTableSize: 'champ vide : indiquez un nombre entier entre 1 et 100000.' } });
    // What a cleared <input type=number> binds to.
    expect(validateRoutingSettings({ ...valid, maxTableSize: null })).toMatchObject({ ok: false, errors: { maxTableSize: expect.stringContaining('champ vide') } });
  });

  it('reports every bad field with a reason', () => {
    const result = validateRoutingSettings({ osrmUrl: 'localhost:5000', maxTableSize: 'abc', concurrency: '40', snapThresholdMetres: '1,5' });
    if (result.ok) throw new Error('expected errors');
    expect(describeSettingsErrors(result.errors)).toEqual([
      'Serveur OSRM : « localhost:5000 » : l’adresse doit commencer par http:// ou https://.',
      'Taille max. de table : « abc » n’est pas un nombre entier (entre 1 et 100000).',
      'Requêtes parallèles : 40 est hors limites : entre 1 et 16.',
      'Distance max. à la route : « 1,5 » n’est pas un nombre entier (entre 10 et 100000 m).',
    ]);
    expect(validateRoutingSettings({ ...valid, osrmUrl: 'pas une adresse' })).toMatchObject({ ok: false, errors: { osrmUrl: expect.stringContaining('n’est pas une adresse web') } });
    expect(validateRoutingSettings({ ...valid, osrmUrl: 'http://h:5000/table?x=1' })).toMatchObject({ ok: false, errors: { osrmUrl: expect.stringContaining('sans « ? »') } });
  });

  it('needs a server address only to compute', () => {
    expect(validateRoutingSettings({ ...valid, osrmUrl: '' })).toMatchObject({ ok: true });
    expect(validateRoutingSettings({ ...valid, osrmUrl: ' ' }, { requireUrl: true })).toMatchObject({ ok: false, errors: { osrmUrl: expect.stringContaining('adresse vide') } });
  });
});
