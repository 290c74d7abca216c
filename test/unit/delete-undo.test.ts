// Remove and delete data in the running app: the torrent leaves at once, and nothing is
// deleted until the Undo time is up.
import { expect, waitUntil } from '@open-wc/testing';
import type { ShoalApp } from '../../src/ui/shoal-app/shoal-app.ts';
import {
  LEAVES,
  OTHER,
  mountApp,
  settle,
  sleep,
  torrent,
  unmount,
  type MountedApp,
} from './support/fake-engine-app.ts';

const part = (app: ShoalApp, tag: string): HTMLElement | null =>
  app.shadowRoot?.querySelector<HTMLElement>(tag) ?? null;

/** The names the list shows. */
const listed = (app: ShoalApp): string[] =>
  [
    ...(part(app, 'shoal-torrent-list')?.shadowRoot?.querySelectorAll('shoal-torrent-row') ?? []),
  ].map((row) => row.shadowRoot?.querySelector('button.name')?.textContent?.trim() ?? '');

const detailName = (app: ShoalApp): string | null =>
  part(app, 'shoal-torrent-detail')?.shadowRoot?.querySelector('h2')?.textContent?.trim() ?? null;

const noticeTexts = (app: ShoalApp): string[] =>
  [...(part(app, 'shoal-notices')?.shadowRoot?.querySelectorAll('li p') ?? [])].map(
    (p) => p.textContent?.trim() ?? '',
  );

const undoButton = (app: ShoalApp): HTMLButtonElement | null =>
  part(app, 'shoal-notices')?.shadowRoot?.querySelector<HTMLButtonElement>('button.undo') ?? null;

/** The element with focus, through shadow roots. */
function focused(): Element | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

describe('Remove and delete data: Undo before anything is deleted', () => {
  let mounted: MountedApp | null = null;

  afterEach(() => {
    unmount(mounted);
    mounted = null;
  });

  it('the torrent leaves at once, Undo (focused, axe clean) brings it back as it was, and nothing is deleted', async () => {
    mounted = await mountApp(
      [torrent(), torrent({ infoHash: OTHER, name: 'Other', addedAtMs: 0 })],
      // Longer than the axe pass between the delete and the Undo click takes on a busy machine.
      { undoMs: 4000 },
    );
    const { app, store, engine } = mounted;
    store.select(LEAVES);
    await settle(app);
    expect(detailName(app)).to.equal('Leaves of Grass');

    const remove = [
      ...(part(app, 'shoal-torrent-detail')?.shadowRoot?.querySelectorAll<HTMLButtonElement>(
        '.actions button',
      ) ?? []),
    ].find((b) => b.textContent?.includes('Remove and delete data'));
    remove?.focus();
    remove?.click();
    await settle(app);

    // Gone from the list and the detail, a notice says so and offers Undo; nothing deleted.
    expect(listed(app)).to.deep.equal(['Other']);
    expect(detailName(app)).to.equal(null);
    expect(noticeTexts(app)).to.deep.equal(['Deleted "Leaves of Grass".']);
    expect(engine.removed).to.deep.equal([]);
    // The button the user pressed went away with the torrent: focus is on Undo instead.
    expect(focused()).to.equal(undoButton(app));
    expect(undoButton(app)?.textContent?.trim()).to.equal('Undo');
    await expect(app).to.be.accessible();

    undoButton(app)?.click();
    await settle(app);
    expect(listed(app)).to.deep.equal(['Leaves of Grass', 'Other']);
    expect(detailName(app)).to.equal('Leaves of Grass');
    expect(noticeTexts(app)).to.deep.equal([]);
    // Focus follows: on the torrent that came back.
    await waitUntil(() => focused()?.textContent?.trim() === 'Leaves of Grass', 'focus lost');

    // Well past the undo time: still there, never removed.
    await sleep(4300);
    await settle(app);
    expect(engine.removed).to.deep.equal([]);
    expect(listed(app)).to.deep.equal(['Leaves of Grass', 'Other']);
  });

  it('from the storage view: deleted only once the undo time is up, and then for good', async () => {
    mounted = await mountApp([torrent()], { undoMs: 400 });
    const { app, engine } = mounted;
    const del = part(app, 'shoal-storage')?.shadowRoot?.querySelector<HTMLButtonElement>(
      'button.danger',
    );
    expect(del?.getAttribute('aria-label')).to.equal('Delete Leaves of Grass and its data');
    const clickedMs = performance.now();
    del?.click();
    await settle(app);
    expect(listed(app)).to.deep.equal([]);
    expect(noticeTexts(app)).to.deep.equal(['Deleted "Leaves of Grass".']);
    await sleep(150);
    expect(engine.removed, 'deleted before the undo time was up').to.deep.equal([]);

    await waitUntil(() => engine.removed.length > 0, 'never deleted', { timeout: 3000 });
    expect(performance.now() - clickedMs).to.be.at.least(390);
    expect(engine.removed).to.deep.equal([[LEAVES, true]]);
    await settle(app);
    expect(noticeTexts(app)).to.deep.equal([]);
    expect(listed(app)).to.deep.equal([]);
  });

  it('the countdown waits while the pointer is moved onto the notice, and runs on when it leaves', async () => {
    mounted = await mountApp([torrent()], { undoMs: 400 });
    const { app, store, engine } = mounted;
    store.deleteWithUndo(LEAVES);
    await settle(app);
    const notice = part(app, 'shoal-notices')?.shadowRoot?.querySelector('li');
    // A notice that appears under a resting pointer holds nothing; one moved onto does.
    notice?.dispatchEvent(new PointerEvent('pointerenter'));
    notice?.dispatchEvent(new PointerEvent('pointermove'));
    await sleep(800);
    expect(engine.removed, 'deleted while the user was reading the notice').to.deep.equal([]);
    expect(noticeTexts(app)).to.deep.equal(['Deleted "Leaves of Grass".']);
    notice?.dispatchEvent(new PointerEvent('pointerleave'));
    await waitUntil(() => engine.removed.length > 0, 'never deleted', { timeout: 3000 });
    expect(engine.removed).to.deep.equal([[LEAVES, true]]);
  });

  it('dismissing the notice deletes at once; a closed page deletes nothing', async () => {
    mounted = await mountApp([torrent(), torrent({ infoHash: OTHER, name: 'Other' })], {
      undoMs: 300,
    });
    const { app, store, engine } = mounted;
    store.deleteWithUndo(LEAVES);
    await settle(app);
    part(app, 'shoal-notices')
      ?.shadowRoot?.querySelector<HTMLButtonElement>('button[aria-label="Dismiss message"]')
      ?.click();
    await waitUntil(() => engine.removed.length === 1, 'dismissing did not delete');
    expect(engine.removed).to.deep.equal([[LEAVES, true]]);

    // The page closes (the store goes) while "Other" waits for its undo time.
    store.deleteWithUndo(OTHER);
    store.dispose();
    await sleep(500);
    expect(engine.removed).to.deep.equal([[LEAVES, true]]);
    expect(engine.torrents.map((t) => t.name)).to.deep.equal(['Other']);
  });

  it('adding a just-deleted torrent again brings it back instead of refusing it', async () => {
    mounted = await mountApp([torrent()], { undoMs: 5000 });
    const { app, store, engine } = mounted;
    store.deleteWithUndo(LEAVES);
    await settle(app);
    expect(listed(app)).to.deep.equal([]);
    expect(await store.addText(`magnet:?xt=urn:btih:${LEAVES}`)).to.deep.equal({
      ok: true,
      infoHash: LEAVES,
    });
    await settle(app);
    expect(listed(app)).to.deep.equal(['Leaves of Grass']);
    expect(detailName(app)).to.equal('Leaves of Grass');
    expect(noticeTexts(app)).to.deep.equal([]);
    expect(engine.removed).to.deep.equal([]);
  });
});
