/** User settings kept in localStorage: the optional remote basemap. */

export interface BasemapPreset {
  id: string;
  label: string;
  url: string | null;
  attribution: string;
}

export const BASEMAPS: BasemapPreset[] = [
  { id: 'none', label: 'Aucun fond (hors ligne)', url: null, attribution: '' },
  {
    id: 'ign',
    label: 'IGN Plan (Géoplateforme)',
    url: 'https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILECOL={x}&TILEROW={y}',
    attribution: '© IGN – Plan IGN',
  },
  { id: 'osm', label: 'OpenStreetMap', url: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png', attribution: '© les contributeurs d’OpenStreetMap' },
];

const KEY = 'maillage.settings';

export class SettingsState {
  basemapId = $state('none');
  customBasemapUrl = $state('');

  constructor() {
    try {
      const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as { basemapId?: string; customBasemapUrl?: string };
      this.basemapId = stored.basemapId ?? 'none';
      this.customBasemapUrl = stored.customBasemapUrl ?? '';
    } catch {
      // Unreadable settings fall back to the defaults.
    }
  }

  /** Null when no remote basemap is used: the map then needs no network at all. */
  basemap = $derived.by((): { url: string; attribution: string } | null => {
    if (this.basemapId === 'custom') return this.customBasemapUrl.trim() ? { url: this.customBasemapUrl.trim(), attribution: '' } : null;
    const preset = BASEMAPS.find((b) => b.id === this.basemapId);
    return preset?.url ? { url: preset.url, attribution: preset.attribution } : null;
  });

  save(): void {
    localStorage.setItem(KEY, JSON.stringify({ basemapId: this.basemapId, customBasemapUrl: this.customBasemapUrl }));
  }
}
