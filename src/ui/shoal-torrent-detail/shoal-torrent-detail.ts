import { LitElement, css, html, nothing } from 'lit';
import { cssProps } from '../css-props.ts';
import { mimeTypeFor } from '../../engine/mime.ts';
import type { TorrentSnapshot } from '../../engine/types.ts';
import { streamUrl } from '../../stream/stream-path.ts';
import '../shoal-file-preview/shoal-file-preview.ts';
import { previewKind } from '../shoal-file-preview/preview-kind.ts';
import '../shoal-player/shoal-player.ts';
import '../shoal-transfer/shoal-transfer.ts';
import type { PlayerItem } from '../shoal-player/shoal-player.ts';
import { subtitlesFor } from '../shoal-player/subtitle-match.ts';
import { dispatch } from '../events.ts';
import { STATE_LABELS, formatBytes, formatPercent } from '../format.ts';
import { controls } from '../shared-styles.ts';

/** One torrent's magnet link, files, and the actions that need a second look. */
export class ShoalTorrentDetail extends LitElement {
  static override properties = {
    torrent: { attribute: false },
    copyLabel: { state: true },
    playing: { state: true },
    previewing: { state: true },
    canStream: { type: Boolean },
    autoplay: { type: Boolean },
  };

  declare torrent: TorrentSnapshot | undefined;
  declare copyLabel: string;
  /** Path of the file being played, if any. */
  declare playing: string | null;
  /** Path of the file previewed (an image, a PDF or text), if any. */
  declare previewing: string | null;
  /** Whether our service worker controls the page (it answers the player's requests). */
  declare canStream: boolean;
  /** Start its first media file as soon as its files are known (once per torrent). */
  declare autoplay: boolean;
  private autoplayed: string | null = null;

  constructor() {
    super();
    this.torrent = undefined;
    this.copyLabel = 'Copy';
    this.playing = null;
    this.previewing = null;
    this.canStream = false;
    this.autoplay = false;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    const previous = changed.get('torrent') as TorrentSnapshot | undefined;
    if (previous && previous.infoHash !== this.torrent?.infoHash) {
      this.playing = null;
      this.previewing = null;
    }
    const t = this.torrent;
    if (this.autoplay && t && this.autoplayed !== t.infoHash && this.playing === null) {
      const first = t.files.find((f) => mediaKind(f.name));
      if (first) {
        this.playing = first.path;
        this.autoplayed = t.infoHash;
      }
    }
  }

  static override styles = [
    controls,
    css`
      :host {
        display: block;
        padding: 1rem;
        border: 1px solid var(--shoal-border);
        border-radius: 0.5rem;
        background: var(--shoal-surface);
      }
      h2 {
        margin: 0 0 0.75rem;
        font-size: 1.15rem;
        overflow-wrap: anywhere;
      }
      .magnet {
        display: flex;
        gap: 0.5rem;
      }
      .magnet input {
        flex: 1;
        min-width: 0;
        font: inherit;
        font-family: ui-monospace, monospace;
        font-size: 0.85em;
        padding: 0.35rem 0.5rem;
        border: 1px solid var(--shoal-border);
        border-radius: 0.4rem;
        background: var(--shoal-bg);
        color: inherit;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        margin: 1rem 0;
      }
      th,
      td {
        text-align: left;
        padding: 0.35rem 0.5rem;
        border-bottom: 1px solid var(--shoal-border);
        vertical-align: middle;
      }
      td.path {
        overflow-wrap: anywhere;
      }
      td.num {
        font-variant-numeric: tabular-nums;
        white-space: nowrap;
      }
      .bar {
        width: 6rem;
        display: inline-block;
        vertical-align: middle;
        margin-right: 0.4rem;
      }
      .file-actions {
        white-space: nowrap;
      }
      .actions {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      .problem {
        color: var(--shoal-danger);
      }
      .warning {
        color: var(--shoal-warning);
      }
      /* Messages may name the torrent or a file, and the info-hash is one 40-letter word. */
      p {
        overflow-wrap: anywhere;
      }
      @media (max-width: 40rem) {
        :host {
          padding: 0.75rem;
        }
        th,
        td {
          padding: 0.35rem 0.25rem;
        }
        /* The percentage stays; the bar does not fit beside it on a phone. */
        td .bar {
          display: none;
        }
        /* Play or Preview, and Save: stacked when side by side they would widen the page. */
        .file-actions {
          white-space: normal;
        }
        .file-actions button {
          margin: 0.1rem 0;
        }
      }
    `,
  ];

  private async copyMagnet(magnet: string): Promise<void> {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#magnet-link');
    try {
      await navigator.clipboard.writeText(magnet);
      this.copyLabel = 'Copied';
    } catch {
      // No clipboard permission: select the link so the user can copy it by hand.
      input?.focus();
      input?.select();
      this.copyLabel = 'Press Ctrl+C';
    }
    setTimeout(() => {
      this.copyLabel = 'Copy';
    }, 2500);
  }

  /** The torrent's media files, in its order, videos with their subtitles: the player's playlist. */
  private renderPlayer(t: TorrentSnapshot, playing: string) {
    const paths = t.files.map((f) => f.path);
    const onlyVideo = t.files.filter((f) => mediaKind(f.name) === 'video').length === 1;
    const items: PlayerItem[] = t.files.flatMap((f) => {
      const kind = mediaKind(f.name);
      const subtitles =
        kind === 'video'
          ? subtitlesFor(f.path, paths, onlyVideo).map((s) => ({
              ...s,
              src: streamUrl(t.infoHash, s.path),
            }))
          : [];
      return kind
        ? [
            {
              infoHash: t.infoHash,
              path: f.path,
              name: f.name,
              src: streamUrl(t.infoHash, f.path),
              kind,
              mimeType: mimeTypeFor(f.name),
              verified: f.verified ?? [],
              subtitles,
            },
          ]
        : [];
    });
    const index = items.findIndex((item) => item.path === playing);
    if (index === -1) return nothing;
    return html`<shoal-player
      .items=${items}
      .index=${index}
      @shoal-track=${(e: CustomEvent<{ path: string }>) => {
        this.playing = e.detail.path;
      }}
    ></shoal-player>`;
  }

  /** Something plays: the player is on top of the detail. */
  private showsPlayer(t: TorrentSnapshot): boolean {
    return this.playing !== null && this.canOpen(t);
  }

  override updated(): void {
    // The page puts a detail that plays first where there is one column.
    this.toggleAttribute('playing', this.torrent ? this.showsPlayer(this.torrent) : false);
  }

  /** Files stream from the swarm through our service worker, from a torrent that runs. */
  private canOpen(t: TorrentSnapshot): boolean {
    return this.canStream && t.state !== 'paused' && t.state !== 'error';
  }

  /** The file the user chose to preview, streamed from its /stream/ address. */
  private renderPreview(t: TorrentSnapshot) {
    const file = t.files.find((f) => f.path === this.previewing);
    if (!file || !this.canOpen(t)) return nothing;
    return html`<shoal-file-preview
      .name=${file.name}
      .src=${streamUrl(t.infoHash, file.path)}
      @shoal-preview-close=${() => {
        this.previewing = null;
      }}
    ></shoal-file-preview>`;
  }

  override render() {
    const t = this.torrent;
    if (!t) return nothing;
    return html`
      ${this.showsPlayer(t) ? this.renderPlayer(t, this.playing ?? '') : nothing}
      <h2>${t.name}</h2>
      <p class="muted">
        ${STATE_LABELS[t.state]}${t.lengthBytes === null ? '' : ` · ${formatBytes(t.lengthBytes)}`}
        · info-hash <code>${t.infoHash}</code>
      </p>
      ${t.errorMessage ? html`<p class="problem" role="alert">${t.errorMessage}</p>` : nothing}
      ${t.warning ? html`<p class="warning">${t.warning}</p>` : nothing}
      ${
        t.inPlace
          ? html`<p class="muted in-place">
              Seeded from your files where they are: nothing is copied into this browser. Moving or
              changing them stops the seeding.
            </p>`
          : nothing
      }
      ${
        !this.canStream && t.files.some((f) => mediaKind(f.name))
          ? html`<p class="muted">
              Playing needs Shoal's service worker, which is not running in this page yet: reload
              the page to play, or save the file.
            </p>`
          : nothing
      }
      ${this.renderPreview(t)}
      <div class="magnet">
        <label class="muted" for="magnet-link">Magnet link</label>
        <input
          id="magnet-link"
          readonly
          .value=${t.magnetURI}
          @focus=${(e: FocusEvent) => {
            (e.target as HTMLInputElement).select();
          }}
        />
        <button @click=${() => this.copyMagnet(t.magnetURI)}>${this.copyLabel}</button>
      </div>
      ${
        t.files.length === 0
          ? html`<p class="muted">The file list appears once the metadata has arrived.</p>`
          : html`<table>
              <caption class="muted">
                Files
              </caption>
              <thead>
                <tr>
                  <th scope="col">File</th>
                  <th scope="col">Size</th>
                  <th scope="col">Progress</th>
                  <th scope="col"><span class="muted">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                ${t.files.map(
                  (f) =>
                    html`<tr data-path=${f.path}>
                      <td class="path">${f.path}</td>
                      <td class="num">${formatBytes(f.lengthBytes)}</td>
                      <td class="num">
                        <div
                          class="bar"
                          role="progressbar"
                          aria-label="Progress of ${f.name}"
                          aria-valuemin="0"
                          aria-valuemax="100"
                          aria-valuenow=${Math.floor(f.progress * 100)}
                        >
                          <div ${cssProps({ transform: `scaleX(${String(f.progress)})` })}></div>
                        </div>
                        ${formatPercent(f.progress)}
                      </td>
                      <td class="file-actions">
                        ${
                          mediaKind(f.name) && this.canOpen(t)
                            ? html`<button
                                aria-label="Play ${f.name}"
                                @click=${() => {
                                  this.playing = f.path;
                                }}
                              >
                                Play
                              </button>`
                            : nothing
                        }
                        ${
                          previewKind(f.name) && this.canOpen(t)
                            ? html`<button
                                aria-label="Preview ${f.name}"
                                aria-pressed=${this.previewing === f.path ? 'true' : 'false'}
                                @click=${() => {
                                  this.previewing = this.previewing === f.path ? null : f.path;
                                }}
                              >
                                Preview
                              </button>`
                            : nothing
                        }
                        <button
                          ?disabled=${f.progress < 1 || t.state === 'paused' || t.state === 'error'}
                          aria-label="Save ${f.name}"
                          @click=${() => {
                            dispatch(this, 'shoal-save-file', {
                              infoHash: t.infoHash,
                              path: f.path,
                            });
                          }}
                        >
                          Save
                        </button>
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }
      <shoal-transfer .torrent=${t}></shoal-transfer>
      <div class="actions">
        <button
          @click=${() => {
            dispatch(this, 'shoal-remove', { infoHash: t.infoHash, deleteData: false });
          }}
        >
          Remove (keep data)
        </button>
        <button
          class="danger"
          @click=${() => {
            dispatch(this, 'shoal-remove', { infoHash: t.infoHash, deleteData: true });
          }}
        >
          Remove and delete data
        </button>
      </div>
    `;
  }
}

/** 'video' or 'audio' for a file the browser may play, from its extension. */
function mediaKind(name: string): 'video' | 'audio' | null {
  const type = mimeTypeFor(name);
  if (type.startsWith('video/')) return 'video';
  if (type.startsWith('audio/')) return 'audio';
  return null;
}

customElements.define('shoal-torrent-detail', ShoalTorrentDetail);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-torrent-detail': ShoalTorrentDetail;
  }
}
