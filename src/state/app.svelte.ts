/**
 * What the user looks at: the Région, its dataset, the selected establishment, filters and layer
 * toggles. The map (src/map) and the panels read from here; nothing here knows about MapLibre.
 */
import { DATA_PATHS, DEFAULT_REGION_CODE, ESTABLISHMENT_KINDS, type Establishment, type EstablishmentKind, type RegionDataset, type RegionIndex, type RegionInfo } from '../core/model/establishment';
import { buildSearchIndex, type SearchIndexEntry } from '../core/search';
import { blockKey, buildBlockIndex, listBlocks, type Block, type BlockSearchEntry } from '../core/territory/blocks';

export type BoundaryLayer = 'departements' | 'arrondissements' | 'epci' | 'communes';

/** The boundary layer showing each kind of block. */
const BLOCK_LAYERS: Record<Block['kind'], BoundaryLayer> = { departement: 'departements', arrondissement: 'arrondissements', epci: 'epci', commune: 'communes' };

const STORAGE_KEY = 'maillage.view';

interface StoredView {
  regionCode?: string;
  showPrivate?: boolean;
  layers?: Partial<Record<BoundaryLayer, boolean>>;
}

function readStoredView(): StoredView {
  try {
    return JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}') as StoredView;
  } catch {
    return {};
  }
}

function regionFromHash(): string | null {
  const match = /(?:^#|&)r=([^&]+)/.exec(location.hash);
  return match ? decodeURIComponent(match[1]) : null;
}

export async function fetchJson<T>(path: string): Promise<T> {
  const response = await fetch(new URL(path, document.baseURI));
  if (!response.ok) throw new Error(`${path} : HTTP ${response.status}`);
  return (await response.json()) as T;
}

export class AppState {
  regions = $state<RegionInfo[]>([]);
  regionCode = $state(DEFAULT_REGION_CODE);
  dataset = $state.raw<RegionDataset | null>(null);
  loadError = $state<string | null>(null);
  loading = $state(true);
  selectedUai = $state<string | null>(null);
  showPrivate = $state(false);
  kinds = $state<Record<EstablishmentKind, boolean>>(Object.fromEntries(ESTABLISHMENT_KINDS.map((k) => [k, true])) as Record<EstablishmentKind, boolean>);
  layers = $state<Record<BoundaryLayer, boolean>>({ departements: true, arrondissements: false, epci: false, communes: false });
  /** Bumped to ask the map to fly to the selected establishment. */
  flyRequest = $state(0);
  /** The administrative block (département, arrondissement, EPCI, commune) picked for block assignment. */
  selectedBlock = $state.raw<Block | null>(null);
  /** Bumped to ask the map to frame the selected block. */
  blockFlyRequest = $state(0);

  region = $derived(this.regions.find((r) => r.code === this.regionCode) ?? null);
  establishments = $derived<readonly Establishment[]>(this.dataset?.establishments ?? []);
  byUai = $derived(new Map(this.establishments.map((e) => [e.uai, e])));
  searchIndex = $derived<SearchIndexEntry[]>(buildSearchIndex(this.establishments));
  blockIndex = $derived<BlockSearchEntry[]>(buildBlockIndex(listBlocks(this.establishments)));
  selected = $derived(this.selectedUai ? (this.byUai.get(this.selectedUai) ?? null) : null);
  /** Establishments drawn on the map under the current filters. */
  visible = $derived(this.establishments.filter((e) => this.isVisible(e)));

  private loadToken = 0;

  constructor() {
    const stored = readStoredView();
    this.regionCode = regionFromHash() ?? stored.regionCode ?? DEFAULT_REGION_CODE;
    this.showPrivate = stored.showPrivate ?? false;
    this.layers = { ...this.layers, ...stored.layers };
  }

  isVisible(e: Establishment): boolean {
    return (this.showPrivate || e.sector === 'public') && this.kinds[e.kind];
  }

  async init(): Promise<void> {
    try {
      // The remembered Région's dataset downloads alongside the index of Régions.
      const remembered = this.regionCode;
      const early = fetchJson<RegionDataset>(DATA_PATHS.establishments(remembered));
      early.catch(() => undefined);
      const index = await fetchJson<RegionIndex>(DATA_PATHS.index);
      this.regions = index.regions;
      if (!this.regions.some((r) => r.code === this.regionCode)) this.regionCode = DEFAULT_REGION_CODE;
      await this.loadRegion(this.regionCode, this.regionCode === remembered ? early : undefined);
    } catch (error) {
      this.loadError = `Données introuvables (${error instanceof Error ? error.message : String(error)}). Lancez « npm run data ».`;
      this.loading = false;
    }
  }

  async loadRegion(code: string, download?: Promise<RegionDataset>): Promise<void> {
    const token = ++this.loadToken;
    this.loading = true;
    this.regionCode = code;
    this.selectedUai = null;
    this.selectedBlock = null;
    this.persist();
    try {
      const dataset = await (download ?? fetchJson<RegionDataset>(DATA_PATHS.establishments(code)));
      // A newer switch started while this one was loading: its result wins.
      if (token !== this.loadToken) return;
      this.dataset = dataset;
      this.loadError = null;
    } catch (error) {
      if (token === this.loadToken) this.loadError = `Impossible de charger la Région ${code} : ${error instanceof Error ? error.message : String(error)}`;
    } finally {
      if (token === this.loadToken) this.loading = false;
    }
  }

  select(uai: string | null, fly = false): void {
    const establishment = uai ? this.byUai.get(uai) : undefined;
    // Selecting a private lycée through search must make it visible rather than select a hidden point.
    if (establishment && establishment.sector === 'prive' && !this.showPrivate) this.setShowPrivate(true);
    if (establishment && !this.kinds[establishment.kind]) this.kinds[establishment.kind] = true;
    this.selectedUai = establishment ? establishment.uai : null;
    if (fly && establishment) this.flyRequest++;
  }

  /**
   * Picks a block. `toggle`: picking the same block again drops it (a second click on the map).
   * `reveal` (picked by search): shows its boundary layer and asks the map to frame its lycées.
   */
  selectBlock(block: Block | null, options: { toggle?: boolean; reveal?: boolean } = {}): void {
    this.selectedBlock = options.toggle && block && this.selectedBlock && blockKey(block) === blockKey(this.selectedBlock) ? null : block;
    if (!block || !options.reveal) return;
    const layer = BLOCK_LAYERS[block.kind];
    if (layer && !this.layers[layer]) this.setLayer(layer, true);
    this.blockFlyRequest++;
  }

  setShowPrivate(value: boolean): void {
    this.showPrivate = value;
    this.persist();
  }

  setLayer(layer: BoundaryLayer, value: boolean): void {
    this.layers[layer] = value;
    this.persist();
  }

  private persist(): void {
    const view: StoredView = { regionCode: this.regionCode, showPrivate: this.showPrivate, layers: { ...this.layers } };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(view));
    history.replaceState(null, '', `#r=${encodeURIComponent(this.regionCode)}`);
  }
}
