// What a torrent's transfer is doing (<shoal-transfer>): its rates over time, where its bytes
// came from, its connections, and a hint when nobody has been found.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/ui/shoal-transfer/shoal-transfer.ts';
import type { ShoalTransfer } from '../../src/ui/shoal-transfer/shoal-transfer.ts';
import type { TorrentSnapshot } from '../../src/engine/types.ts';

const MiB = 1024 * 1024;

const torrent = (over: Partial<TorrentSnapshot> = {}): TorrentSnapshot => ({
  infoHash: 'd2474e86c95b19b8bcfdb92bc12c9d44667cfa36',
  name: 'Leaves of Grass',
  magnetURI: 'magnet:?xt=urn:btih:d2474e86c95b19b8bcfdb92bc12c9d44667cfa36',
  lengthBytes: 16 * MiB,
  downloadedBytes: 4 * MiB,
  uploadedBytes: 0,
  progress: 0.25,
  downloadRateBytesPerS: 2 * MiB,
  uploadRateBytesPerS: 512 * 1024,
  peers: 2,
  etaS: 6,
  state: 'downloading',
  errorMessage: null,
  warning: null,
  files: [],
  addedAtMs: 0,
  receivedBytes: MiB,
  sources: { peersBytes: MiB, webSeedBytes: 2 * MiB, keptBytes: MiB },
  peerList: [
    {
      id: 'p1',
      kind: 'neighbour',
      client: 'WebTorrent',
      downRateBytesPerS: 1.5 * MiB,
      upRateBytesPerS: 0,
      has: 1,
    },
    {
      id: 'p2',
      kind: 'web seed',
      client: '',
      downRateBytesPerS: 0.5 * MiB,
      upRateBytesPerS: 0,
      has: 1,
    },
  ],
  ...over,
});

const text = (el: ShoalTransfer, selector: string): string[] =>
  [...(el.shadowRoot?.querySelectorAll(selector) ?? [])].map((n) =>
    (n.textContent ?? '').replace(/\s+/g, ' ').trim(),
  );

describe('<shoal-transfer>', () => {
  it('lists each connection with its kind, client, share and rates', async () => {
    const el = await fixture<ShoalTransfer>(
      html`<shoal-transfer .torrent=${torrent()}></shoal-transfer>`,
    );
    expect(text(el, 'tbody tr')).to.deep.equal([
      'Shoal neighbour WebTorrent 100% 1.5 MiB/s —',
      'Web seed (HTTP) 100% 512 KiB/s —',
    ]);
    await expect(el).to.be.accessible();
  });

  it('shows where its bytes came from: peers, web seed, already here', async () => {
    const el = await fixture<ShoalTransfer>(
      html`<shoal-transfer .torrent=${torrent()}></shoal-transfer>`,
    );
    expect(text(el, '.sources span')).to.deep.equal([
      'Peers 1 MiB (25.0%)',
      'Web seed 2 MiB (50.0%)',
      'Already here 1 MiB (25.0%)',
    ]);
  });

  it('draws its down and up rates as they come, one sample a second', async () => {
    const el = await fixture<ShoalTransfer>(
      html`<shoal-transfer .torrent=${torrent()}></shoal-transfer>`,
    );
    expect(el.shadowRoot?.querySelector('svg')).to.equal(null);
    await waitUntil(() => el.shadowRoot?.querySelector('svg'), 'no graph', { timeout: 3000 });
    const label = el.shadowRoot?.querySelector('svg')?.getAttribute('aria-label') ?? '';
    expect(label).to.match(/down 2 MiB\/s, up 512 KiB\/s/);
    expect(el.shadowRoot?.querySelectorAll('polyline')).to.have.length(2);
    await expect(el).to.be.accessible();
  });

  it('says why nothing happens when no one has been found for a while, and not before', async () => {
    const waiting = torrent({ state: 'metadata', peers: 0, peerList: [], lengthBytes: null });
    const soon = await fixture<ShoalTransfer>(
      html`<shoal-transfer .torrent=${waiting}></shoal-transfer>`,
    );
    expect(text(soon, '.hint')).to.deep.equal([]);
    const late = await fixture<ShoalTransfer>(
      html`<shoal-transfer .hintAfterMs=${0} .torrent=${waiting}></shoal-transfer>`,
    );
    await late.updateComplete;
    late.requestUpdate();
    await late.updateComplete;
    expect(text(late, '.hint')[0]).to.match(/^No one sharing this torrent has been found yet\./);
    await expect(late).to.be.accessible();
    // Someone found: the hint goes.
    late.torrent = { ...waiting, peers: 1 };
    await late.updateComplete;
    expect(text(late, '.hint')).to.deep.equal([]);
  });

  it('says what it refused: bad pieces thrown away, each peer cut off with why, silent peers', async () => {
    const clean = await fixture<ShoalTransfer>(
      html`<shoal-transfer
        .torrent=${torrent({ trust: { hashFailures: 0, cutOff: [], snubbed: 0, droppedSilent: 0 } })}
      ></shoal-transfer>`,
    );
    expect(text(clean, 'h3')).not.to.include('Refused');
    const el = await fixture<ShoalTransfer>(
      html`<shoal-transfer
        .torrent=${torrent({
          trust: {
            hashFailures: 3,
            cutOff: [
              { client: 'WebTorrent', reason: 'sent data that failed the hash check' },
              { client: '', reason: 'flooded us with requests' },
            ],
            snubbed: 2,
            droppedSilent: 1,
          },
        })}
      ></shoal-transfer>`,
    );
    expect(text(el, '.failures')[0]).to.match(/^3 pieces failed the hash check/);
    expect(text(el, '.cut-off li')).to.deep.equal([
      'WebTorrent cut off and not let back: it sent data that failed the hash check.',
      'A peer cut off and not let back: it flooded us with requests.',
    ]);
    expect(text(el, '.snubbed')[0]).to.match(
      /^A peer sat on our requests without sending anything 2 times: they were asked of other peers\.$/,
    );
    expect(text(el, '.dropped-silent')).to.deep.equal([
      '1 peer claimed pieces and never sent one: disconnected, not banned.',
    ]);
    await expect(el).to.be.accessible();
  });
});
