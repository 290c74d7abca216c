import { expect, fixture, html } from '@open-wc/testing';
import type { PieceMapSnapshot } from '../../src/engine/types.ts';
import {
  MIN_PIECES_SHOWN,
  haveIn,
  shownRange,
  type ShoalPieceMap,
} from '../../src/ui/shoal-piece-map/shoal-piece-map.ts';

/** A map of `count` pieces holding `held`. */
function mapOf(count: number, held: Iterable<number>): PieceMapSnapshot {
  const have = new Uint8Array(Math.ceil(count / 8));
  for (const i of held) have[i >> 3] = (have[i >> 3] ?? 0) | (0x80 >> (i & 7));
  return { pieceCount: count, have };
}

const range = (from: number, to: number): number[] =>
  Array.from({ length: to - from }, (_, i) => from + i);

/** The canvas's opacity at `x` (a fraction of its width), mid-height. */
function alphaAt(el: ShoalPieceMap, x: number): number {
  const canvas = el.shadowRoot?.querySelector('canvas') as HTMLCanvasElement;
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
  const px = Math.min(canvas.width - 1, Math.floor(x * canvas.width));
  return ctx.getImageData(px, Math.floor(canvas.height / 2), 1, 1).data[3] ?? 0;
}

const label = (el: ShoalPieceMap): string =>
  el.shadowRoot?.querySelector('canvas')?.getAttribute('aria-label') ?? '';

const button = (el: ShoalPieceMap, name: string): HTMLButtonElement =>
  el.shadowRoot?.querySelector(`button[aria-label^="${name}"]`) as HTMLButtonElement;

describe('the piece map', () => {
  it('counts the pieces of a range, and keeps a zoomed range inside the torrent', () => {
    const map = mapOf(100, [0, 1, 50, 99]);
    expect(haveIn(map, 0, 100)).to.equal(4);
    expect(haveIn(map, 2, 99)).to.equal(1);
    expect(shownRange(100, 1, 0.5)).to.deep.equal({ from: 0, to: 100 });
    expect(shownRange(100, 4, 0.5)).to.deep.equal({ from: 38, to: 63 });
    expect(shownRange(100, 4, 0)).to.deep.equal({ from: 0, to: 25 });
    expect(shownRange(100, 4, 1)).to.deep.equal({ from: 75, to: 100 });
    expect(shownRange(100, 64, 0.5).to - shownRange(100, 64, 0.5).from).to.equal(MIN_PIECES_SHOWN);
  });

  it('shows the pieces here as filled columns and says how many', async () => {
    const el = await fixture<ShoalPieceMap>(
      html`<shoal-piece-map .map=${mapOf(32, range(0, 8))}></shoal-piece-map>`,
    );
    expect(label(el)).to.equal('Piece map: 8 of 32 pieces here');
    expect(alphaAt(el, 0.1)).to.be.greaterThan(200);
    expect(alphaAt(el, 0.6)).to.equal(0);
    // A large torrent on a narrow canvas: each column shaded by its share.
    el.map = mapOf(
      10_000,
      range(0, 10_000).filter((i) => i % 2 === 0),
    );
    await el.updateComplete;
    expect(label(el)).to.equal('Piece map: 5,000 of 10,000 pieces here');
    const half = alphaAt(el, 0.5);
    expect(half).to.be.within(100, 155);
  });

  it('zooms in on a large torrent, where it is clicked, down to a few pieces, and out again', async () => {
    const el = await fixture<ShoalPieceMap>(
      html`<shoal-piece-map .map=${mapOf(64, range(0, 8))}></shoal-piece-map>`,
    );
    expect(button(el, 'Zoom out').disabled).to.equal(true);
    button(el, 'Zoom in').click();
    await el.updateComplete;
    expect(label(el)).to.equal(
      'Piece map: 8 of 64 pieces here; showing pieces 17–48, 0 of them here',
    );
    expect(alphaAt(el, 0.1)).to.equal(0);
    button(el, 'Zoom out').click();
    await el.updateComplete;
    expect(label(el)).to.equal('Piece map: 8 of 64 pieces here');
    // A click on the map's left edge: twice as close, about there.
    const canvas = el.shadowRoot?.querySelector('canvas') as HTMLCanvasElement;
    const box = canvas.getBoundingClientRect();
    canvas.dispatchEvent(
      new MouseEvent('click', { bubbles: true, clientX: box.left + 1, clientY: box.top + 1 }),
    );
    await el.updateComplete;
    expect(label(el)).to.equal(
      'Piece map: 8 of 64 pieces here; showing pieces 1–32, 8 of them here',
    );
    canvas.dispatchEvent(
      new MouseEvent('click', { bubbles: true, clientX: box.left + 1, clientY: box.top + 1 }),
    );
    await el.updateComplete;
    expect(label(el)).to.match(/showing pieces 1–16, 8 of them here$/);
    expect(alphaAt(el, 0.25)).to.be.greaterThan(200);
    expect(alphaAt(el, 0.75)).to.equal(0);
    expect(button(el, 'Zoom in').disabled).to.equal(true);
  });

  it('shows nothing before the metadata, and a small torrent without zoom', async () => {
    const el = await fixture<ShoalPieceMap>(html`<shoal-piece-map></shoal-piece-map>`);
    expect(el.shadowRoot?.querySelector('canvas')).to.equal(null);
    el.map = mapOf(10, [3]);
    await el.updateComplete;
    expect(label(el)).to.equal('Piece map: 1 of 10 pieces here');
    expect(el.shadowRoot?.querySelector('button')).to.equal(null);
  });
});
