// The demo a first visit offers (store/demo.ts): found on the app's own server, given that
// server's copy of the video as its web seed, offered by the empty list, and played at once.
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import parseTorrent from 'parse-torrent';
import { demoOnServer, demoTorrent, withWebSeed } from '../../src/store/demo.ts';
import '../../src/ui/shoal-torrent-list/shoal-torrent-list.ts';
import '../../src/ui/shoal-torrent-detail/shoal-torrent-detail.ts';
import type { ShoalTorrentList } from '../../src/ui/shoal-torrent-list/shoal-torrent-list.ts';
import type { ShoalTorrentDetail } from '../../src/ui/shoal-torrent-detail/shoal-torrent-detail.ts';
import type { TorrentSnapshot } from '../../src/engine/types.ts';
import { bencode } from './support/bencode.ts';

const demoBytes = new TextEncoder().encode(
  bencode({
    announce: 'ws://localhost:8000',
    info: {
      length: 5,
      name: 'shoal-demo.mp4',
      'piece length': 16384,
      pieces: 'abcdefghijklmnopqrst',
    },
  }),
);

/** A server answering `path` with `response`, and every other path as a dev server does. */
const server =
  (answers: Record<string, () => Response>) =>
  (url: string): Promise<Response> => {
    const answer = answers[new URL(url).pathname];
    return Promise.resolve(
      answer
        ? answer()
        : new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }),
    );
  };

describe('the demo', () => {
  it('gets the server’s own copy of the video as its web seed, with the same info-hash', async () => {
    const before = await parseTorrent(demoBytes);
    const after = await parseTorrent(
      await withWebSeed(demoBytes, 'http://127.0.0.1:5173/demo/shoal-demo.mp4'),
    );
    expect(after.infoHash).to.equal(before.infoHash);
    expect(after.urlList).to.deep.equal(['http://127.0.0.1:5173/demo/shoal-demo.mp4']);
    expect(after.announce).to.deep.equal(['ws://localhost:8000']);
  });

  it('is offered only where the server has it (a page answered for every path is not a torrent)', async () => {
    const has = server({
      '/app/demo/demo.torrent': () =>
        new Response(demoBytes, { headers: { 'content-type': 'application/x-bittorrent' } }),
    });
    expect(await demoOnServer('http://h/app/', has)).to.equal(true);
    expect(await demoOnServer('http://h/', has)).to.equal(false);
    expect(await demoOnServer('http://h/', () => Promise.reject(new Error('offline')))).to.equal(
      false,
    );
    const file = await demoTorrent('http://h/app/', has);
    expect(file?.name).to.equal('Shoal demo.torrent');
    const parsed = await parseTorrent(new Uint8Array(await (file as File).arrayBuffer()));
    expect(parsed.urlList).to.deep.equal(['http://h/app/demo/shoal-demo.mp4']);
    expect(await demoTorrent('http://h/', has)).to.equal(null);
  });

  it('is offered by the empty list, whose button asks for it', async () => {
    const without = await fixture<ShoalTorrentList>(
      html`<shoal-torrent-list></shoal-torrent-list>`,
    );
    expect(without.shadowRoot?.querySelector('button')).to.equal(null);
    const el = await fixture<ShoalTorrentList>(
      html`<shoal-torrent-list demo></shoal-torrent-list>`,
    );
    const button = el.shadowRoot?.querySelector('button');
    expect(button?.textContent?.trim()).to.equal('Play the demo video');
    await expect(el).to.be.accessible();
    const asked = oneEvent(el, 'shoal-play-demo');
    button?.click();
    await asked;
  });

  it('starts playing its first video as soon as the torrent’s files are known, once', async () => {
    const torrent = (files: string[]): TorrentSnapshot => ({
      infoHash: 'd'.repeat(40),
      name: 'shoal-demo.mp4',
      magnetURI: '',
      lengthBytes: 10,
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
      files: files.map((name) => ({
        path: name,
        name,
        lengthBytes: 10,
        downloadedBytes: 0,
        progress: 0,
        verified: [],
      })),
      addedAtMs: 0,
      receivedBytes: 0,
    });
    const el = await fixture<ShoalTorrentDetail>(
      html`<shoal-torrent-detail
        autoplay
        canStream
        .torrent=${torrent([])}
      ></shoal-torrent-detail>`,
    );
    expect(el.playing).to.equal(null);
    el.torrent = torrent(['notes.txt', 'shoal-demo.mp4']);
    await el.updateComplete;
    expect(el.playing).to.equal('shoal-demo.mp4');
    expect(el.shadowRoot?.querySelector('shoal-player')).not.to.equal(null);
    // The user stops it: a later update does not start it again.
    el.playing = null;
    el.torrent = torrent(['notes.txt', 'shoal-demo.mp4']);
    await el.updateComplete;
    expect(el.playing).to.equal(null);
  });
});
