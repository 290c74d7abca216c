import { LitElement, css, html, nothing, svg } from 'lit';
import { cssProps } from '../css-props.ts';
import type { TorrentSnapshot } from '../../engine/types.ts';
import { formatBytes, formatPercent, formatRate } from '../format.ts';
import '../shoal-piece-map/shoal-piece-map.ts';

/** Seconds of rates the graph shows. */
export const GRAPH_SECONDS = 60;
/** After this long running with no connection, say why nothing happens. */
export const NO_PEER_HINT_AFTER_MS = 15_000;

const KIND_LABELS = {
  peer: 'Browser (tracker)',
  neighbour: 'Shoal neighbour',
  'web seed': 'Web seed (HTTP)',
} as const;

/**
 * What a torrent's transfer is doing: which pieces it has (a map), a live graph of its rates, where its bytes came from
 * (peers, web seed, already here: Spotify's breakdown), its connections, and a hint when no
 * one has been found for a while.
 */
export class ShoalTransfer extends LitElement {
  static override properties = {
    torrent: { attribute: false },
    hintAfterMs: { type: Number },
  };

  declare torrent: TorrentSnapshot | undefined;
  declare hintAfterMs: number;
  /** Down and up rates, one sample a second, oldest first. */
  private samples: { down: number; up: number }[] = [];
  /** When this torrent was first seen running with no connection (null: it has some). */
  private alone: { infoHash: string; sinceMs: number } | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor() {
    super();
    this.torrent = undefined;
    this.hintAfterMs = NO_PEER_HINT_AFTER_MS;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.timer = setInterval(() => {
      this.sample();
    }, 1000);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  override willUpdate(changed: Map<string, unknown>): void {
    const previous = changed.get('torrent') as TorrentSnapshot | undefined;
    if (previous && previous.infoHash !== this.torrent?.infoHash) this.samples = [];
    const t = this.torrent;
    const running = t && (t.state === 'metadata' || t.state === 'downloading');
    if (!t || !running || t.peers > 0) this.alone = null;
    else if (this.alone?.infoHash !== t.infoHash)
      this.alone = { infoHash: t.infoHash, sinceMs: Date.now() };
  }

  private sample(): void {
    const t = this.torrent;
    if (!t) return;
    this.samples = [
      ...this.samples.slice(-(GRAPH_SECONDS - 1)),
      { down: t.downloadRateBytesPerS, up: t.uploadRateBytesPerS },
    ];
    this.requestUpdate();
  }

  static override styles = css`
    :host {
      display: block;
      margin: 1rem 0;
    }
    h3 {
      font-size: 1rem;
      margin: 0 0 0.5rem;
    }
    .hint {
      border-left: 3px solid var(--shoal-warning);
      padding: 0.25rem 0.75rem;
    }
    svg {
      width: 100%;
      height: 4rem;
      display: block;
      border: 1px solid var(--shoal-border);
      border-radius: 0.4rem;
    }
    .down {
      stroke: var(--shoal-accent);
    }
    .up {
      stroke: var(--shoal-warning);
    }
    polyline {
      fill: none;
      stroke-width: 1.5;
      vector-effect: non-scaling-stroke;
    }
    .legend,
    .sources {
      display: flex;
      flex-wrap: wrap;
      gap: 0.25rem 1rem;
      margin: 0.35rem 0;
      font-variant-numeric: tabular-nums;
    }
    .share {
      display: flex;
      height: 0.5rem;
      border-radius: 0.25rem;
      overflow: hidden;
      background: var(--shoal-border);
    }
    .share span.peers {
      background: var(--shoal-accent);
    }
    .share span.web {
      background: var(--shoal-warning);
    }
    .share span.kept {
      background: var(--shoal-muted);
    }
    table {
      width: 100%;
      border-collapse: collapse;
    }
    th,
    td {
      text-align: left;
      padding: 0.3rem 0.5rem;
      border-bottom: 1px solid var(--shoal-border);
    }
    td.num {
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    .muted {
      color: var(--shoal-muted);
    }
  `;

  private renderGraph() {
    const samples = this.samples;
    if (samples.length < 2) return nothing;
    const top = Math.max(1, ...samples.map((s) => Math.max(s.down, s.up)));
    const points = (pick: (s: { down: number; up: number }) => number): string =>
      samples
        .map((s, i) => {
          const x = ((GRAPH_SECONDS - samples.length + i) / (GRAPH_SECONDS - 1)) * 100;
          return `${x.toFixed(2)},${(100 - (pick(s) / top) * 100).toFixed(2)}`;
        })
        .join(' ');
    const last = samples[samples.length - 1] ?? { down: 0, up: 0 };
    return html`<svg
        viewBox="0 0 100 100"
        preserveAspectRatio="none"
        role="img"
        aria-label=${`Rates over the last ${String(samples.length)} seconds: down ${formatRate(last.down)}, up ${formatRate(last.up)}`}
      >
        ${svg`<polyline class="down" points=${points((s) => s.down)}></polyline>
        <polyline class="up" points=${points((s) => s.up)}></polyline>`}
      </svg>
      <div class="legend">
        <span>Down ${formatRate(last.down)}</span><span>Up ${formatRate(last.up)}</span>
        <span class="muted">peak ${formatRate(top)}</span>
      </div>`;
  }

  private renderSources(t: TorrentSnapshot) {
    const s = t.sources;
    if (!s) return nothing;
    const total = s.peersBytes + s.webSeedBytes + s.keptBytes;
    if (total === 0) return nothing;
    const part = (bytes: number): string => `${((bytes / total) * 100).toFixed(1)}%`;
    return html`<h3>Where its bytes came from</h3>
      <div class="share" aria-hidden="true">
        <span class="peers" ${cssProps({ width: part(s.peersBytes) })}></span>
        <span class="web" ${cssProps({ width: part(s.webSeedBytes) })}></span>
        <span class="kept" ${cssProps({ width: part(s.keptBytes) })}></span>
      </div>
      <div class="sources">
        <span>Peers ${formatBytes(s.peersBytes)} (${part(s.peersBytes)})</span>
        <span>Web seed ${formatBytes(s.webSeedBytes)} (${part(s.webSeedBytes)})</span>
        <span>Already here ${formatBytes(s.keptBytes)} (${part(s.keptBytes)})</span>
      </div>`;
  }

  private renderPeers(t: TorrentSnapshot) {
    const list = t.peerList ?? [];
    if (list.length === 0) return nothing;
    return html`<table>
      <caption class="muted">
        Connections (${list.length})
      </caption>
      <thead>
        <tr>
          <th scope="col">Connection</th>
          <th scope="col">Has</th>
          <th scope="col">Down</th>
          <th scope="col">Up</th>
        </tr>
      </thead>
      <tbody>
        ${list.map(
          (p) =>
            html`<tr data-kind=${p.kind}>
              <td>
                ${KIND_LABELS[p.kind]}${p.client ? html` <span class="muted">${p.client}</span>` : nothing}
              </td>
              <td class="num">${p.has === null ? '—' : formatPercent(p.has)}</td>
              <td class="num">${formatRate(p.downRateBytesPerS)}</td>
              <td class="num">${formatRate(p.upRateBytesPerS)}</td>
            </tr>`,
        )}
      </tbody>
    </table>`;
  }

  /**
   * Bad data thrown away and peers cut off (nothing a stranger sent reached the files), and
   * peers that sat on our requests (their blocks were asked of others).
   */
  private renderTrust(t: TorrentSnapshot) {
    const trust = t.trust;
    if (
      !trust ||
      (trust.hashFailures === 0 &&
        trust.cutOff.length === 0 &&
        trust.snubbed === 0 &&
        trust.droppedSilent === 0)
    )
      return nothing;
    const pieces = trust.hashFailures === 1 ? 'piece' : 'pieces';
    const times = trust.snubbed === 1 ? 'once' : `${String(trust.snubbed)} times`;
    const dropped = trust.droppedSilent === 1 ? '1 peer' : `${String(trust.droppedSilent)} peers`;
    return html`<h3>Refused</h3>
      ${
        trust.hashFailures > 0
          ? html`<p class="failures">
              ${trust.hashFailures} ${pieces} failed the hash check: the data was thrown away and
              fetched again, and never reached your files.
            </p>`
          : nothing
      }
      ${
        trust.cutOff.length > 0
          ? html`<ul class="cut-off" aria-label="Peers cut off">
              ${trust.cutOff.map(
                (p) =>
                  html`<li>${p.client || 'A peer'} cut off and not let back: it ${p.reason}.</li>`,
              )}
            </ul>`
          : nothing
      }
      ${
        trust.snubbed > 0
          ? html`<p class="snubbed">
              A peer sat on our requests without sending anything ${times}: they were asked of other
              peers.
            </p>`
          : nothing
      }
      ${
        trust.droppedSilent > 0
          ? html`<p class="dropped-silent">
              ${dropped} claimed pieces and never sent one: disconnected, not banned.
            </p>`
          : nothing
      }`;
  }

  override render() {
    const t = this.torrent;
    if (!t) return nothing;
    const alone = this.alone && Date.now() - this.alone.sinceMs >= this.hintAfterMs;
    return html`
      ${
        alone
          ? html`<p class="hint" role="status">
              ${
                t.state === 'metadata'
                  ? 'No one sharing this torrent has been found yet.'
                  : 'No one sharing this torrent is connected: the download waits for them.'
              }
              Whoever shared it must keep their Shoal or WebTorrent tab open; Shoal keeps looking
              through the tracker and its neighbours.
            </p>`
          : nothing
      }
      <shoal-piece-map .map=${t.pieceMap}></shoal-piece-map>
      ${this.renderGraph()} ${this.renderSources(t)} ${this.renderTrust(t)} ${this.renderPeers(t)}
    `;
  }
}

customElements.define('shoal-transfer', ShoalTransfer);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-transfer': ShoalTransfer;
  }
}
