import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/ui/shoal-share-name/shoal-share-name.ts';
import type { ShoalShareName } from '../../src/ui/shoal-share-name/shoal-share-name.ts';
import { shareNameOf } from '../../src/store/share-name.ts';

const dialogOf = (el: ShoalShareName): HTMLDialogElement =>
  el.shadowRoot?.querySelector('dialog') as HTMLDialogElement;
const inputOf = (el: ShoalShareName): HTMLInputElement =>
  el.shadowRoot?.querySelector('input') as HTMLInputElement;
const buttonOf = (el: ShoalShareName, name: string): HTMLButtonElement =>
  [...(el.shadowRoot?.querySelectorAll('button') ?? [])].find(
    (b) => b.textContent?.trim() === name,
  ) as HTMLButtonElement;

const open = () =>
  fixture<ShoalShareName>(
    html`<shoal-share-name .count=${3} .suggested=${'3 files'}></shoal-share-name>`,
  );

describe('the share name dialog', () => {
  it('opens modal with the name offered selected, and is accessible', async () => {
    const el = await open();
    expect(dialogOf(el).open).to.equal(true);
    expect(dialogOf(el).matches(':modal')).to.equal(true);
    expect(el.shadowRoot?.querySelector('h2')?.textContent).to.equal('Share 3 files');
    const input = inputOf(el);
    expect(input.value).to.equal('3 files');
    expect([input.selectionStart, input.selectionEnd]).to.deep.equal([0, 7]);
    await expect(el).to.be.accessible();
  });

  it('Share gives the name typed; a blank name gives the one offered', async () => {
    const el = await open();
    inputOf(el).value = '  Holiday photos ';
    setTimeout(() => {
      buttonOf(el, 'Share').click();
    });
    expect((await oneEvent(el, 'shoal-share-name')).detail).to.deep.equal({
      name: 'Holiday photos',
    });
    expect(dialogOf(el).open).to.equal(false);

    const blank = await open();
    inputOf(blank).value = ' ';
    setTimeout(() => {
      buttonOf(blank, 'Share').click();
    });
    expect((await oneEvent(blank, 'shoal-share-name')).detail).to.deep.equal({ name: '3 files' });
  });

  it('Cancel, or Escape, shares nothing, and answers once', async () => {
    const el = await open();
    let answers = 0;
    el.addEventListener('shoal-share-name', () => answers++);
    setTimeout(() => {
      buttonOf(el, 'Cancel').click();
    });
    expect((await oneEvent(el, 'shoal-share-name')).detail).to.deep.equal({ name: null });
    buttonOf(el, 'Share').click();
    expect(answers).to.equal(1);

    const escaped = await open();
    setTimeout(() => {
      dialogOf(escaped).dispatchEvent(new Event('cancel', { cancelable: true }));
    });
    expect((await oneEvent(escaped, 'shoal-share-name')).detail).to.deep.equal({ name: null });
  });

  it('asks only for several files: the name offered is the folder’s, or how many', () => {
    const file = (name: string, path = '') => {
      const f = new File(['x'], name);
      if (path) Object.defineProperty(f, 'webkitRelativePath', { value: path });
      return f;
    };
    expect(shareNameOf([file('a.jpg')])).to.equal(null);
    expect(shareNameOf([file('a.jpg'), file('b.jpg')])).to.equal('2 files');
    expect(shareNameOf([file('a.jpg', 'Trip/a.jpg'), file('b.jpg', 'Trip/b.jpg')])).to.equal(
      'Trip',
    );
  });
});
