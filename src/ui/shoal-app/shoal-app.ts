import { LitElement, css, html, nothing } from 'lit';
import type { PwaState, PwaStore } from '../../pwa/pwa-store.ts';
import type { AppState, AppStore } from '../../store/app-store.ts';
import { saveFile } from '../../store/save-file.ts';
import { shareNameOf } from '../../store/share-name.ts';
import { filesFromDrop, isTorrentFile } from '../drop.ts';
import { pageTitle } from '../page-title.ts';
import { StoreController } from '../store-controller.ts';
import type { ShoalAddBar } from '../shoal-add-bar/shoal-add-bar.ts';
import type { ShoalTorrentRow } from '../shoal-torrent-row/shoal-torrent-row.ts';
import '../shoal-add-bar/shoal-add-bar.ts';
import '../shoal-notices/shoal-notices.ts';
import '../shoal-pwa-bar/shoal-pwa-bar.ts';
import '../shoal-share-card/shoal-share-card.ts';
import '../shoal-share-name/shoal-share-name.ts';
import '../shoal-settings/shoal-settings.ts';
import '../shoal-storage/shoal-storage.ts';
import '../shoal-torrent-detail/shoal-torrent-detail.ts';
import '../shoal-torrent-list/shoal-torrent-list.ts';

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The whole app: turns the components' intents into store calls. */
export class ShoalApp extends LitElement {
  static override properties = {
    dragging: { state: true },
    addError: { state: true },
    canStream: { state: true },
    autoplay: { state: true },
    naming: { state: true },
  };

  declare dragging: boolean;
  declare addError: string;
  declare canStream: boolean;
  /** A torrent the user asked to play as it is added (the demo): its first video starts. */
  declare autoplay: string | null;
  /** Several files to share, waiting for the name the user gives them. */
  declare naming: {
    readonly files: File[];
    readonly handles?: FileSystemFileHandle[];
    readonly suggested: string;
  } | null;
  private readonly store: StoreController<AppState>;
  private readonly pwa: StoreController<PwaState> | null;

  constructor(
    private readonly appStore: AppStore,
    private readonly options: {
      readonly defaultTrackers: readonly string[];
      /** Install, updates, online state, magnet links, notifications (absent in tests). */
      readonly pwa?: PwaStore;
    },
  ) {
    super();
    this.dragging = false;
    this.addError = '';
    this.autoplay = null;
    this.naming = null;

    // The player's requests are answered by our service worker once it controls the page.
    // (No serviceWorker at all outside a secure context.)
    const workers = 'serviceWorker' in navigator ? navigator.serviceWorker : null;
    this.canStream = Boolean(workers?.controller);
    workers?.addEventListener('controllerchange', () => {
      this.canStream = Boolean(workers.controller);
    });
    this.store = new StoreController(this, appStore);
    const pwa = options.pwa;
    this.pwa = pwa ? new StoreController(this, pwa) : null;
    if (pwa) {
      this.addEventListener('shoal-install', () => void pwa.install());
      this.addEventListener('shoal-apply-update', () => {
        pwa.applyUpdate();
      });
      this.addEventListener('shoal-dismiss-update', () => {
        pwa.dismissUpdate();
      });
      this.addEventListener('shoal-handle-magnets', () => {
        pwa.handleMagnets();
      });
      this.addEventListener('shoal-enable-notifications', () => void pwa.enableNotifications());
    }
    this.addEventListener('shoal-keep', (e) => {
      appStore.keep(e.detail.infoHash, e.detail.kept);
    });
    this.addEventListener('shoal-clear-cache', () => void appStore.clearCache());
    this.addEventListener('shoal-share', (e) => {
      appStore.share(e.detail.infoHash);
    });
    this.addEventListener('shoal-add-text', (e) => {
      void this.afterAdd(appStore.addText(e.detail.text));
    });
    this.addEventListener('shoal-add-torrent-file', (e) => {
      void this.afterAdd(appStore.addTorrentFile(e.detail.file));
    });
    this.addEventListener('shoal-play-demo', () => {
      void (async () => {
        const added = appStore.addDemo(document.baseURI);
        await this.afterAdd(added);
        const outcome = await added;
        if (outcome.ok) this.autoplay = outcome.infoHash;
      })();
    });
    this.addEventListener('shoal-seed', (e) => {
      this.share(e.detail.files, e.detail.handles);
    });
    this.addEventListener('shoal-share-name', (e) => {
      const naming = this.naming;
      this.naming = null;
      if (naming && e.detail.name !== null)
        void this.afterAdd(appStore.seed(naming.files, naming.handles, e.detail.name));
    });
    this.addEventListener('shoal-select', (e) => {
      appStore.select(e.detail.infoHash);
    });
    this.addEventListener('shoal-pause', (e) => void appStore.pause(e.detail.infoHash));
    this.addEventListener('shoal-resume', (e) => void appStore.resume(e.detail.infoHash));
    this.addEventListener('shoal-remove', (e) => {
      // Deleting data is offered back for a few seconds (Undo) before it happens.
      if (e.detail.deleteData) appStore.deleteWithUndo(e.detail.infoHash);
      else void appStore.remove(e.detail.infoHash, false);
    });
    this.addEventListener('shoal-hold-undo', (e) => {
      appStore.holdUndo(e.detail.infoHash, e.detail.held);
    });
    this.addEventListener('shoal-undo-delete', (e) => {
      appStore.undoDelete(e.detail.infoHash);
      // The Undo button goes with its notice: focus goes to the torrent that came back.
      void this.focusRow(e.detail.infoHash);
    });
    this.addEventListener('shoal-settings-change', (e) => {
      appStore.updateSettings(e.detail);
    });
    this.addEventListener('shoal-playback', (e) => {
      appStore.playback(e.detail);
    });
    this.addEventListener('shoal-dismiss-notice', (e) => {
      appStore.dismissNotice(e.detail.id);
    });
    this.addEventListener('shoal-save-file', (e) => {
      const { infoHash, path } = e.detail;
      void (async () => {
        try {
          const outcome = await saveFile(appStore.file(infoHash, path));
          if (outcome !== 'cancelled')
            appStore.notify({
              level: 'info',
              message: `Saved "${path.split('/').pop() ?? path}".`,
            });
        } catch (err) {
          appStore.notify({
            level: 'error',
            message: `Could not save "${path}": ${messageOf(err)}`,
          });
        }
      })();
    });
    this.addEventListener('dragover', (e) => {
      e.preventDefault();
      this.dragging = true;
    });
    this.addEventListener('dragleave', (e) => {
      if (e.relatedTarget === null) this.dragging = false;
    });
    this.addEventListener('drop', (e) => {
      e.preventDefault();
      this.dragging = false;
      if (e.dataTransfer) void this.onDrop(e.dataTransfer);
    });
  }

  static override styles = css`
    :host {
      display: block;
      max-width: 96rem;
      margin: 0 auto;
      padding: 1rem;
      min-height: 100vh;
      box-sizing: border-box;
    }
    header {
      display: flex;
      align-items: baseline;
      gap: 0.75rem;
      margin-bottom: 1rem;
    }
    h1 {
      margin: 0;
      font-size: 1.5rem;
    }
    header p {
      margin: 0;
      color: var(--shoal-muted);
    }
    main {
      display: grid;
      /* Never wider than the window: long names and links wrap or scroll inside their box. */
      grid-template-columns: minmax(0, 1fr);
      gap: 1rem;
    }
    /* The list, and the selected torrent beside it (its player on top) where there is room. */
    .panes {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 1rem;
      align-items: start;
    }
    .side {
      display: grid;
      grid-template-columns: minmax(0, 1fr);
      gap: 1rem;
    }
    @media (min-width: 64rem) {
      .panes.two {
        grid-template-columns: minmax(18rem, 2fr) minmax(0, 3fr);
      }
      .panes.two .side {
        position: sticky;
        top: 1rem;
        max-height: calc(100vh - 2rem);
        overflow-y: auto;
      }
    }
    /* In one column, what plays comes first. */
    @media (max-width: 63.99rem) {
      .side:has(> shoal-torrent-detail[playing]) {
        order: -1;
      }
    }
    @media (max-width: 40rem) {
      :host {
        padding: 0.75rem;
      }
    }
    :host([dragging]) main {
      outline: 3px dashed var(--shoal-accent);
      outline-offset: 0.5rem;
    }
  `;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.title = pageTitle([]);
  }

  override updated(): void {
    this.toggleAttribute('dragging', this.dragging);
    // What downloads shows in the tab's title (as often as the store updates: ≤ 4 times/s).
    const title = pageTitle(this.store.state.torrents);
    if (document.title !== title) document.title = title;
  }

  private async afterAdd(result: ReturnType<AppStore['addText']>): Promise<void> {
    const outcome = await result;
    const bar = this.renderRoot.querySelector<ShoalAddBar>('shoal-add-bar');
    if (outcome.ok) {
      this.addError = '';
      bar?.clear();
    } else {
      this.addError = outcome.message;
    }
  }

  private async focusRow(infoHash: string): Promise<void> {
    await this.store.rendered();
    const list = this.renderRoot.querySelector('shoal-torrent-list');
    await list?.updateComplete;
    const row = list?.shadowRoot?.querySelector<ShoalTorrentRow>(
      `shoal-torrent-row[data-infohash="${infoHash}"]`,
    );
    await row?.updateComplete;
    row?.shadowRoot?.querySelector<HTMLButtonElement>('button.name')?.focus();
  }

  private async onDrop(data: DataTransfer): Promise<void> {
    const { files, handles } = await filesFromDrop(data);
    const torrents = files.filter(isTorrentFile);
    if (torrents.length > 0 && torrents.length === files.length) {
      for (const file of torrents) await this.afterAdd(this.appStore.addTorrentFile(file));
    } else if (files.length > 0) {
      this.share(files, handles);
    }
  }

  /** Files to share: one at once; several once the user has named them (shoal-share-name). */
  private share(files: File[], handles?: FileSystemFileHandle[]): void {
    const suggested = shareNameOf(files);
    if (suggested === null) void this.afterAdd(this.appStore.seed(files, handles));
    else this.naming = { files, ...(handles ? { handles } : {}), suggested };
  }

  override render() {
    const { torrents, notices, selected, settings, storage, sharing, retention, cache, demo } =
      this.store.state;
    const detail = torrents.find((t) => t.infoHash === selected);
    const shared = torrents.find((t) => t.infoHash === sharing);
    return html`
      <header>
        <h1>Shoal</h1>
        <p>BitTorrent in your browser</p>
      </header>
      <main>
        ${this.pwa ? html`<shoal-pwa-bar .state=${this.pwa.state}></shoal-pwa-bar>` : nothing}
        <shoal-add-bar .error=${this.addError}></shoal-add-bar>
        <shoal-notices .notices=${notices}></shoal-notices>
        <div class="panes ${detail || shared ? 'two' : ''}">
          <shoal-torrent-list
            .torrents=${torrents}
            .selected=${selected}
            ?demo=${demo}
          ></shoal-torrent-list>
          ${
            detail || shared
              ? html`<div class="side">
                  ${shared ? html`<shoal-share-card .torrent=${shared}></shoal-share-card>` : nothing}
                  ${
                    detail
                      ? html`<shoal-torrent-detail
                          .torrent=${detail}
                          .canStream=${this.canStream}
                          ?autoplay=${this.autoplay === detail.infoHash}
                        ></shoal-torrent-detail>`
                      : nothing
                  }
                </div>`
              : nothing
          }
        </div>
        ${
          this.naming
            ? html`<shoal-share-name
                .count=${this.naming.files.length}
                .suggested=${this.naming.suggested}
              ></shoal-share-name>`
            : nothing
        }
        <shoal-storage
          .status=${storage}
          .torrents=${torrents}
          .retention=${retention}
          .cache=${cache}
        ></shoal-storage>
        <shoal-settings
          .settings=${settings}
          .defaults=${this.options.defaultTrackers}
        ></shoal-settings>
      </main>
    `;
  }
}

customElements.define('shoal-app', ShoalApp);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-app': ShoalApp;
  }
}
