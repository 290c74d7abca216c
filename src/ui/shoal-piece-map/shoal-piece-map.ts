import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { PieceMapSnapshot } from '../../engine/types.ts';
import { formatCount } from '../format.ts';

/** Zoomed in this far, the map shows this few pieces at most (one column each). */
export const MIN_PIECES_SHOWN = 16;

/** Pieces `[from, to)` that `have` holds. */
export function haveIn(map: PieceMapSnapshot, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) if (((map.have[i >> 3] ?? 0) & (0x80 >> (i & 7))) !== 0) n++;
  return n;
}

/**
 * The part of a torrent of `pieceCount` pieces shown at `zoom` (1: all of it; 2: half...),
 * centred as near `centre` (a fraction of the torrent) as its ends allow: `[from, to)`.
 */
export function shownRange(
  pieceCount: number,
  zoom: number,
  centre: number,
): { from: number; to: number } {
  const shown = Math.min(pieceCount, Math.max(MIN_PIECES_SHOWN, Math.ceil(pieceCount / zoom)));
  const from = Math.min(
    pieceCount - shown,
    Math.max(0, Math.round(centre * pieceCount - shown / 2)),
  );
  return { from, to: from + shown };
}

/**
 * Which pieces of a torrent are here, on a canvas: a column a piece or, where the torrent has
 * more pieces than the canvas has columns, each column shaded by the share of its pieces that
 * are here. A large torrent can be zoomed (twice as close each time, about where a click on
 * the map was, or its middle) down to `MIN_PIECES_SHOWN` pieces, and out again.
 */
export class ShoalPieceMap extends LitElement {
  static override properties = {
    map: { attribute: false },
    zoom: { state: true },
    centre: { state: true },
  };

  declare map: PieceMapSnapshot | undefined;
  declare zoom: number;
  declare centre: number;
  private resize: ResizeObserver | null = null;

  static override styles = css`
    :host {
      display: block;
      margin: 0 0 1rem;
    }
    .head {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
      margin-bottom: 0.25rem;
    }
    .head span {
      flex: 1 1 auto;
    }
    canvas {
      display: block;
      width: 100%;
      height: 1.5rem;
      border: 1px solid var(--shoal-border);
      border-radius: 0.4rem;
      cursor: zoom-in;
    }
    button {
      font: inherit;
      min-width: 2.75rem;
      min-height: 2.75rem;
    }
  `;

  constructor() {
    super();
    this.map = undefined;
    this.zoom = 1;
    this.centre = 0.5;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.resize = new ResizeObserver(() => {
      this.draw();
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resize?.disconnect();
    this.resize = null;
  }

  override firstUpdated(): void {
    const canvas = this.renderRoot.querySelector('canvas');
    if (canvas) this.resize?.observe(canvas);
  }

  override willUpdate(changed: PropertyValues<this>): void {
    const before = changed.get('map');
    // Another torrent: the whole of it again.
    if (before && this.map && before.pieceCount !== this.map.pieceCount) {
      this.zoom = 1;
      this.centre = 0.5;
    }
  }

  override updated(): void {
    this.draw();
  }

  /** The range shown now. */
  get shown(): { from: number; to: number } {
    return shownRange(this.map?.pieceCount ?? 0, this.zoom, this.centre);
  }

  private get canZoomIn(): boolean {
    const { from, to } = this.shown;
    return to - from > MIN_PIECES_SHOWN;
  }

  private zoomIn(at?: number): void {
    if (!this.map || !this.canZoomIn) return;
    const { from, to } = this.shown;
    if (at !== undefined) this.centre = (from + at * (to - from)) / this.map.pieceCount;
    else this.centre = (from + to) / 2 / this.map.pieceCount;
    this.zoom *= 2;
  }

  private zoomOut(): void {
    if (this.zoom <= 1 || !this.map) return;
    const { from, to } = this.shown;
    this.centre = (from + to) / 2 / this.map.pieceCount;
    this.zoom /= 2;
  }

  private draw(): void {
    const map = this.map;
    const canvas = this.renderRoot.querySelector('canvas');
    if (!map || !canvas) return;
    const ratio = window.devicePixelRatio || 1;
    const width = Math.max(1, Math.round(canvas.clientWidth * ratio));
    const height = Math.max(1, Math.round(canvas.clientHeight * ratio));
    if (canvas.width !== width) canvas.width = width;
    if (canvas.height !== height) canvas.height = height;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const style = getComputedStyle(this);
    const here = style.getPropertyValue('--shoal-accent').trim() || '#2563eb';
    ctx.clearRect(0, 0, width, height);
    ctx.fillStyle = here;
    const { from, to } = this.shown;
    const shown = to - from;
    const columns = Math.min(width, shown);
    for (let c = 0; c < columns; c++) {
      const first = from + Math.floor((c * shown) / columns);
      const last = from + Math.floor(((c + 1) * shown) / columns);
      const share = haveIn(map, first, last) / Math.max(1, last - first);
      if (share === 0) continue;
      ctx.globalAlpha = share;
      const x0 = Math.floor((c * width) / columns);
      const x1 = Math.floor(((c + 1) * width) / columns);
      ctx.fillRect(x0, 0, Math.max(1, x1 - x0), height);
    }
    ctx.globalAlpha = 1;
  }

  override render() {
    const map = this.map;
    if (!map || map.pieceCount === 0) return nothing;
    const { from, to } = this.shown;
    const whole = from === 0 && to === map.pieceCount;
    const total = haveIn(map, 0, map.pieceCount);
    const part = whole
      ? ''
      : `; showing pieces ${formatCount(from + 1)}–${formatCount(to)}, ${formatCount(haveIn(map, from, to))} of them here`;
    return html`<div class="head">
        <span
          >Pieces here: ${formatCount(total)} of
          ${formatCount(map.pieceCount)}${
            whole ? nothing : html`<br />Showing ${formatCount(from + 1)}–${formatCount(to)}`
          }</span
        >
        ${
          map.pieceCount > MIN_PIECES_SHOWN
            ? html`<button
                  type="button"
                  aria-label="Zoom in on the pieces"
                  ?disabled=${!this.canZoomIn}
                  @click=${() => {
                    this.zoomIn();
                  }}
                >
                  +
                </button>
                <button
                  type="button"
                  aria-label="Zoom out"
                  ?disabled=${this.zoom <= 1}
                  @click=${() => {
                    this.zoomOut();
                  }}
                >
                  −
                </button>`
            : nothing
        }
      </div>
      <canvas
        role="img"
        aria-label=${`Piece map: ${formatCount(total)} of ${formatCount(map.pieceCount)} pieces here${part}`}
        @click=${(event: MouseEvent) => {
          const canvas = event.currentTarget as HTMLCanvasElement;
          const box = canvas.getBoundingClientRect();
          this.zoomIn(box.width > 0 ? (event.clientX - box.left) / box.width : 0.5);
        }}
      ></canvas>`;
  }
}

customElements.define('shoal-piece-map', ShoalPieceMap);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-piece-map': ShoalPieceMap;
  }
}
