import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { TorrentSnapshot } from '../../src/engine/types.ts';
import '../../src/ui/shoal-file-preview/shoal-file-preview.ts';
import '../../src/ui/shoal-torrent-detail/shoal-torrent-detail.ts';
import { previewKind } from '../../src/ui/shoal-file-preview/preview-kind.ts';
import type { ShoalFilePreview } from '../../src/ui/shoal-file-preview/shoal-file-preview.ts';
import type { ShoalTorrentDetail } from '../../src/ui/shoal-torrent-detail/shoal-torrent-detail.ts';

const blobUrl = (parts: BlobPart[], type = 'application/octet-stream') =>
  URL.createObjectURL(new Blob(parts, { type }));

/** A 40×30 PNG drawn here, so that the test needs no fixture file. */
async function png(): Promise<string> {
  const canvas = document.createElement('canvas');
  canvas.width = 40;
  canvas.height = 30;
  const context = canvas.getContext('2d');
  if (!context) throw new Error('no 2d context');
  context.fillStyle = '#c00';
  context.fillRect(0, 0, 40, 30);
  const blob = await new Promise<Blob | null>((resolve) => {
    canvas.toBlob(resolve, 'image/png');
  });
  if (!blob) throw new Error('no PNG');
  return URL.createObjectURL(blob);
}

const preview = (name: string, src: string) =>
  fixture<ShoalFilePreview>(
    html`<shoal-file-preview .name=${name} .src=${src}></shoal-file-preview>`,
  );
const inside = (el: Element, selector: string) => el.shadowRoot?.querySelector(selector) ?? null;

describe('which files are previewed', () => {
  const cases: [string, string | null][] = [
    ['cover.JPG', 'image'],
    ['diagram.svg', 'image'],
    ['paper.pdf', 'pdf'],
    ['README.nfo', 'text'],
    ['movie.en.srt', 'text'],
    ['index.html', 'text'],
    ['movie.mp4', null],
    ['archive.zip', null],
    ['Makefile', null],
  ];
  for (const [name, kind] of cases) {
    it(`${name} → ${String(kind)}`, () => {
      expect(previewKind(name)).to.equal(kind);
    });
  }
});

describe('<shoal-file-preview>', () => {
  it('shows an image inline, named by its file name', async () => {
    const el = await preview('cover.png', await png());
    const img = inside(el, 'img') as HTMLImageElement;
    await waitUntil(() => img.complete && img.naturalWidth > 0, 'image never loaded');
    expect([img.naturalWidth, img.naturalHeight]).to.deep.equal([40, 30]);
    expect(img.alt).to.equal('cover.png');
    await expect(el).to.be.accessible();
  });

  it('says so when the image cannot be shown', async () => {
    const el = await preview('cover.png', blobUrl(['not an image']));
    await waitUntil(() => inside(el, '[role="alert"]'), 'no message');
    expect(inside(el, '[role="alert"]')?.textContent).to.contain(
      'cannot show the image "cover.png"',
    );
    expect(inside(el, 'img')).to.equal(null);
  });

  it('shows text as text: markup in it is written out, never run or rendered', async () => {
    const text = 'Read me\n<b>bold?</b> & <img src=x onerror="window.ran = true">\n';
    const el = await preview('README.txt', blobUrl([text]));
    await waitUntil(() => inside(el, 'pre'), 'no text shown');
    const pre = inside(el, 'pre');
    expect(pre?.textContent).to.equal(text);
    expect(pre?.children.length).to.equal(0);
    expect((window as { ran?: boolean }).ran).to.equal(undefined);
    // The whole file is shown: nothing says it is cut.
    expect(inside(el, 'p.cut')).to.equal(null);
    await expect(el).to.be.accessible();
  });

  it('shows only the first 64 KiB of a long text, and says so', async () => {
    const line = 'All work and no play makes Jack a dull boy.\n';
    const text = line.repeat(Math.ceil((200 * 1024) / line.length));
    const el = await preview('log.txt', blobUrl([text]));
    await waitUntil(() => inside(el, 'pre'), 'no text shown');
    expect(inside(el, 'pre')?.textContent).to.equal(text.slice(0, 64 * 1024));
    const cut = inside(el, 'p.cut')?.textContent?.replace(/\s+/g, ' ').trim();
    expect(cut).to.equal('The first 64 KiB of 200 KiB:');
  });

  it('does not show a binary file named like text', async () => {
    const el = await preview('notes.txt', blobUrl([new Uint8Array([0x50, 0x4b, 3, 4, 0, 0, 8])]));
    await waitUntil(
      () => inside(el, '[role="status"]')?.textContent?.includes('does not look'),
      'no message',
    );
    expect(inside(el, 'pre')).to.equal(null);
  });

  it("shows a PDF in the browser's viewer where it has one, and always links to it", async () => {
    const src = blobUrl(['%PDF-1.4\n'], 'application/pdf');
    const el = await preview('paper.pdf', src);
    const frame = inside(el, 'iframe');
    if (navigator.pdfViewerEnabled) {
      expect(frame?.getAttribute('src')).to.equal(src);
      expect(frame?.getAttribute('title')).to.equal('PDF: paper.pdf');
    } else {
      expect(frame).to.equal(null);
      expect(el.shadowRoot?.textContent).to.contain('does not show PDFs inside a page');
    }
    const link = inside(el, 'a') as HTMLAnchorElement;
    expect(link.getAttribute('href')).to.equal(src);
    expect(link.target).to.equal('_blank');
    expect(link.rel).to.equal('noopener noreferrer');
    expect(link.textContent).to.contain('Open "paper.pdf" in a new tab');
    await expect(el).to.be.accessible();
  });

  it('closes when asked', async () => {
    const el = await preview('cover.png', await png());
    const closed = oneEvent(el, 'shoal-preview-close');
    (inside(el, 'button') as HTMLButtonElement).click();
    await closed;
  });
});

describe('<shoal-torrent-detail> previews', () => {
  const infoHash = 'd2474e86c95b19b8bcfdb92bc12c9d44667cfa36';
  const file = (path: string) => ({
    path,
    name: path.split('/').pop() ?? path,
    lengthBytes: 1000,
    downloadedBytes: 0,
    progress: 0,
  });
  const torrent: TorrentSnapshot = {
    infoHash,
    name: 'Box',
    magnetURI: `magnet:?xt=urn:btih:${infoHash}`,
    lengthBytes: 3000,
    downloadedBytes: 0,
    uploadedBytes: 0,
    progress: 0,
    downloadRateBytesPerS: 0,
    uploadRateBytesPerS: 0,
    peers: 0,
    etaS: null,
    state: 'downloading',
    errorMessage: null,
    warning: null,
    files: [file('Box/cover.png'), file('Box/data.bin'), file('Box/read me.txt')],
    addedAtMs: 1,
    receivedBytes: 0,
  };

  it('offers Preview for images and text only, and previews the chosen file from its /stream/ address', async () => {
    const el = await fixture<ShoalTorrentDetail>(
      html`<shoal-torrent-detail .torrent=${torrent} .canStream=${true}></shoal-torrent-detail>`,
    );
    const buttons = [...(el.shadowRoot?.querySelectorAll('button[aria-label^="Preview"]') ?? [])];
    expect(buttons.map((b) => b.getAttribute('aria-label'))).to.deep.equal([
      'Preview cover.png',
      'Preview read me.txt',
    ]);
    expect(inside(el, 'shoal-file-preview')).to.equal(null);
    (buttons[0] as HTMLButtonElement).click();
    await el.updateComplete;
    const shown = inside(el, 'shoal-file-preview') as ShoalFilePreview;
    expect([shown.name, shown.src]).to.deep.equal([
      'cover.png',
      `/stream/${infoHash}/Box/cover.png`,
    ]);
    expect(buttons[0]?.getAttribute('aria-pressed')).to.equal('true');
    await expect(el).to.be.accessible();
    (inside(shown, 'button') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(inside(el, 'shoal-file-preview')).to.equal(null);
  });

  it('offers no preview while nothing can stream', async () => {
    const el = await fixture<ShoalTorrentDetail>(
      html`<shoal-torrent-detail .torrent=${torrent} .canStream=${false}></shoal-torrent-detail>`,
    );
    expect(el.shadowRoot?.querySelectorAll('button[aria-label^="Preview"]')).to.have.length(0);
  });
});
