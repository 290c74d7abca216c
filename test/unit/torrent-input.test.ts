import { expect } from '@open-wc/testing';
import { parseMagnetOrInfoHash, parseTorrentFile } from '../../src/engine/torrent-input.ts';
import { bencode } from './support/bencode.ts';

const HASH = 'd2474e86c95b19b8bcfdb92bc12c9d44667cfa36';

describe('parseMagnetOrInfoHash', () => {
  const cases: { input: string; infoHash?: string; message?: RegExp }[] = [
    { input: `magnet:?xt=urn:btih:${HASH}&dn=Leaves`, infoHash: HASH },
    { input: `  magnet:?xt=urn:btih:${HASH.toUpperCase()}  `, infoHash: HASH },
    { input: HASH, infoHash: HASH },
    { input: HASH.toUpperCase(), infoHash: HASH },
    // base32 form of the same hash
    { input: '2JDU5BWJLMM3RPH5XEV4CLE5IRTHZ6RW', infoHash: HASH },
    { input: `magnet:?xt=urn:btih:2JDU5BWJLMM3RPH5XEV4CLE5IRTHZ6RW`, infoHash: HASH },
    { input: '', message: /Paste a magnet link/ },
    { input: 'hello world', message: /not a magnet link/ },
    { input: 'https://example.com/a.torrent', message: /not a magnet link/ },
    { input: 'magnet:?dn=nothing', message: /no "xt=urn:btih:…" info-hash/ },
    { input: 'magnet:?xt=urn:btih:1234', message: /info-hash "1234" is malformed/ },
    { input: `magnet:?xt=urn:btih:${HASH}z`, message: /is malformed/ },
    { input: 'magnet:?xt=urn:btmh:1220abcdef', message: /not for BitTorrent v1/ },
    { input: 'd2474e86c95b19b8bcfdb92bc12c9d44667cfa3', message: /not a magnet link/ },
  ];
  for (const { input, infoHash, message } of cases) {
    it(`${infoHash ? 'accepts' : 'refuses'} ${JSON.stringify(input)}`, () => {
      const result = parseMagnetOrInfoHash(input);
      if (infoHash) {
        expect(result.ok, JSON.stringify(result)).to.equal(true);
        if (result.ok) expect(result.value.infoHash).to.equal(infoHash);
      } else {
        expect(result.ok).to.equal(false);
        if (!result.ok) expect(result.message).to.match(message ?? /./);
      }
    });
  }

  it('keeps the display name and the whole magnet (its trackers too)', () => {
    const magnet = `magnet:?xt=urn:btih:${HASH}&dn=Big+Buck%20Bunny&tr=wss%3A%2F%2Ftracker.example`;
    const result = parseMagnetOrInfoHash(magnet);
    expect(result.ok).to.equal(true);
    if (!result.ok) return;
    expect(result.value.name).to.equal('Big Buck Bunny');
    expect(result.value.magnetURI).to.equal(magnet);
  });
});

describe('parseTorrentFile', () => {
  const encoder = new TextEncoder();
  // 20 bytes of "piece hash" as latin1 characters that encode to one byte each.
  const torrent = (info: Record<string, unknown>) =>
    encoder.encode(bencode({ announce: 'ws://localhost:8000', info }));

  it('reads a single-file torrent and computes its info-hash', async () => {
    const result = await parseTorrentFile(
      torrent({
        length: 5,
        name: 'hello.txt',
        'piece length': 16384,
        pieces: 'abcdefghijklmnopqrst',
      }),
      'hello.torrent',
    );
    expect(result.ok, JSON.stringify(result)).to.equal(true);
    if (!result.ok) return;
    expect(result.value.name).to.equal('hello.txt');
    expect(result.value.infoHash).to.match(/^[0-9a-f]{40}$/);
  });

  it('names the file when it is not a torrent at all', async () => {
    const result = await parseTorrentFile(encoder.encode('<html>nope</html>'), 'holiday.torrent');
    expect(result).to.deep.equal({
      ok: false,
      message: '"holiday.torrent" is not a .torrent file.',
    });
  });

  it('refuses an empty file', async () => {
    const result = await parseTorrentFile(new Uint8Array(), 'empty.torrent');
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.message).to.contain('is empty');
  });

  it('refuses a bencoded dictionary without an info dictionary', async () => {
    const result = await parseTorrentFile(
      encoder.encode(bencode({ announce: 'x' })),
      'half.torrent',
    );
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.message).to.contain('damaged or incomplete');
  });

  it('refuses a truncated torrent', async () => {
    const bytes = torrent({
      length: 5,
      name: 'a',
      'piece length': 16384,
      pieces: 'abcdefghijklmnopqrst',
    });
    const result = await parseTorrentFile(bytes.slice(0, 30), 'cut.torrent');
    expect(result.ok).to.equal(false);
  });
});
