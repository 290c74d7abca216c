// Fuzzing what a user pastes or drops: magnet links, bare info-hashes and .torrent files,
// generated valid and then mutated. Each input is either accepted, and then its info-hash is
// 40 lower-case hex and is the one the engine (webtorrent's own parse-torrent) will use, or
// refused with a short message; never an exception, never a hang.
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import parseTorrent from 'parse-torrent';
import { parseMagnetOrInfoHash, parseTorrentFile } from '../../src/engine/torrent-input.ts';
import { bencode } from './support/bencode.ts';
import { fuzzParams, fuzzTimeoutMs, mutated, mutatedBytes } from './support/fuzz.ts';

const HEX_40 = /^[0-9a-f]{40}$/;
/** A message is read by a person: it says something, and it does not echo a megabyte back. */
const MAX_MESSAGE_CHARS = 300;

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
function base32(bytes: Uint8Array): string {
  let bits = '';
  for (const b of bytes) bits += b.toString(2).padStart(8, '0');
  return Array.from(
    { length: 32 },
    (_, i) => BASE32[parseInt(bits.slice(i * 5, i * 5 + 5), 2)],
  ).join('');
}

const infoHashBytes = fc.uint8Array({ minLength: 20, maxLength: 20 });

/** A well-formed magnet link, its info-hash and its display name. */
const validMagnet = fc
  .record({
    hash: infoHashBytes,
    form: fc.constantFrom('hex', 'HEX', 'base32'),
    name: fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: undefined }),
    trackers: fc.array(
      fc.webUrl().map((url) => url.replace(/^http/, 'ws')),
      { maxLength: 3 },
    ),
    webSeeds: fc.array(fc.webUrl(), { maxLength: 2 }),
  })
  .map(({ hash, form, name, trackers, webSeeds }) => {
    const text =
      form === 'base32' ? base32(hash) : form === 'HEX' ? hex(hash).toUpperCase() : hex(hash);
    const params = [`xt=urn:btih:${text}`];
    if (name !== undefined) params.push(`dn=${encodeURIComponent(name)}`);
    for (const tr of trackers) params.push(`tr=${encodeURIComponent(tr)}`);
    for (const ws of webSeeds) params.push(`ws=${encodeURIComponent(ws)}`);
    return { magnet: `magnet:?${params.join('&')}`, infoHash: hex(hash), name: name ?? null };
  });

/** Whatever is pasted: accepted with an info-hash the engine agrees on, or a short message. */
async function checkPasted(input: string): Promise<void> {
  const result = parseMagnetOrInfoHash(input);
  if (!result.ok) {
    expect(result.message).to.be.a('string').and.not.equal('');
    expect(result.message.length).to.be.at.most(MAX_MESSAGE_CHARS);
    return;
  }
  expect(result.value.infoHash).to.match(HEX_40);
  // The engine is handed magnetURI: it must key the torrent by the same info-hash, or the
  // list and the swarm would disagree about which torrent this is.
  const engine = await parseTorrent(result.value.magnetURI);
  expect(engine.infoHash, result.value.magnetURI).to.equal(result.value.infoHash);
}

describe('fuzz: magnet links and info-hashes', function () {
  this.timeout(fuzzTimeoutMs);

  it('reads every valid magnet link, in any hash form, with its info-hash and name', async () => {
    await fc.assert(
      fc.asyncProperty(validMagnet, async ({ magnet, infoHash, name }) => {
        const result = parseMagnetOrInfoHash(magnet);
        expect(result.ok, JSON.stringify(result)).to.equal(true);
        if (!result.ok) return;
        expect(result.value.infoHash).to.equal(infoHash);
        expect(result.value.name).to.equal(name === '' ? null : name);
        await checkPasted(magnet);
      }),
      fuzzParams(1000),
    );
  });

  it('accepts or refuses mutated magnet links, never throwing', async () => {
    await fc.assert(
      fc.asyncProperty(mutated(validMagnet.map((m) => m.magnet)), checkPasted),
      fuzzParams(3000),
    );
  });

  it('accepts or refuses any text at all', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ maxLength: 80 }).map((rest) => `magnet:?${rest}`),
          fc.string({ maxLength: 80 }).map((rest) => `magnet:?xt=urn:btih:${rest}`),
        ),
        checkPasted,
      ),
      fuzzParams(2000),
    );
  });

  // Found by this suite: an accepted magnet whose engine-side info-hash differed from ours
  // (a second, malformed btih), an upper-case URN the engine does not read, and a refusal
  // that echoed a whole pasted page back.
  for (const input of [
    `magnet:?xt=urn:btih:${'a'.repeat(40)}&xt=urn:btih:${'z'.repeat(40)}`,
    `magnet:?xt=urn:btih:${'a'.repeat(40)}&xt=urn:btih:${'b'.repeat(40)}00`,
    `magnet:?xt=URN:BTIH:${'a'.repeat(40)}`,
    `magnet:?xt=urn:btih:${'x'.repeat(100_000)}`,
  ]) {
    it(`regression: ${input.slice(0, 100)}`, () => checkPasted(input));
  }

  it('regression: a "+" written %2B in the name stays a plus ("C++", not "C  ")', () => {
    const result = parseMagnetOrInfoHash(`magnet:?xt=urn:btih:${'a'.repeat(40)}&dn=C%2B%2B+Primer`);
    expect(result.ok && result.value.name).to.equal('C++ Primer');
  });
});

/** A well-formed torrent's bytes, the bencoded info dictionary's bytes, and its name. */
const validTorrent = fc
  .record({
    name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
    pieceLength: fc.constantFrom(16_384, 65_536, 262_144),
    files: fc.array(
      fc.record({
        path: fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), {
          minLength: 1,
          maxLength: 3,
        }),
        length: fc.integer({ min: 0, max: 2_000_000 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    single: fc.boolean(),
    pieceChar: fc.string({
      unit: fc.constantFrom(...Array.from('abcdefghij0123456789')),
      minLength: 1,
      maxLength: 1,
    }),
  })
  .map(({ name, pieceLength, files, single, pieceChar }) => {
    const total = single ? (files[0]?.length ?? 0) : files.reduce((sum, f) => sum + f.length, 0);
    const pieces = pieceChar.repeat(20 * Math.ceil(total / pieceLength));
    const info = single
      ? { name, 'piece length': pieceLength, pieces, length: total }
      : { name, 'piece length': pieceLength, pieces, files };
    const encoder = new TextEncoder();
    return {
      bytes: encoder.encode(bencode({ announce: 'ws://localhost:8000', info })),
      info: encoder.encode(bencode(info)),
    };
  });

const sha1Hex = async (bytes: Uint8Array): Promise<string> =>
  hex(new Uint8Array(await crypto.subtle.digest('SHA-1', new Uint8Array(bytes))));

/** Any dropped file: accepted with a 40-hex info-hash, or a message naming the file. */
async function checkDropped(bytes: Uint8Array, fileName: string): Promise<void> {
  const result = await parseTorrentFile(bytes, fileName);
  if (result.ok) {
    expect(result.value.infoHash).to.match(HEX_40);
    expect(result.value.name).to.be.a('string');
  } else {
    expect(result.message).to.contain(`"${fileName}"`);
  }
}

describe('fuzz: .torrent files', function () {
  this.timeout(fuzzTimeoutMs);

  it('reads every valid torrent, whose info-hash is the SHA-1 of its info dictionary', async () => {
    await fc.assert(
      fc.asyncProperty(validTorrent, async ({ bytes, info }) => {
        const result = await parseTorrentFile(bytes, 'valid.torrent');
        expect(result.ok, JSON.stringify(result)).to.equal(true);
        if (result.ok) expect(result.value.infoHash).to.equal(await sha1Hex(info));
      }),
      fuzzParams(300),
    );
  });

  it('accepts or refuses mutated torrents, naming the file, never throwing', async () => {
    await fc.assert(
      fc.asyncProperty(
        mutatedBytes(validTorrent.map((t) => t.bytes)),
        fc.string({ minLength: 1, maxLength: 20 }),
        checkDropped,
      ),
      fuzzParams(1500),
    );
  });

  it('refuses arbitrary bytes and bencoded junk with a message', async () => {
    const bencoded = fc.letrec<{ value: unknown }>((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.integer(),
        fc.string(),
        fc.array(tie('value'), { maxLength: 4 }),
        fc.dictionary(fc.string({ maxLength: 8 }), tie('value'), { maxKeys: 4 }),
      ),
    })).value;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          bencoded.map((value) => new TextEncoder().encode(`d4:info${bencode(value)}e`)),
        ),
        (bytes) => checkDropped(bytes, 'junk.torrent'),
      ),
      fuzzParams(1500),
    );
  });

  // Found by this suite: parse-torrent takes any 20 bytes for a bare info-hash (so 20 bytes
  // of junk were "a torrent"), and lets through lengths that are not sizes and pieces that do
  // not cover the files. Each is refused, naming the file; deep nesting and huge numbers too.
  const info = (fields: string): string => `d4:infod${fields}ee`;
  const refused: [string, string][] = [
    ['d8:announce19:ws://l', 'twenty.torrent'],
    ['d4:infoi1000000000ee', 'twenty-info.torrent'],
    [
      info('6:lengthi-5e4:name1:a12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaa'),
      'negative.torrent',
    ],
    [
      info(
        '6:lengthi99999999999999999999999e4:name1:a12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaa',
      ),
      'huge.torrent',
    ],
    [
      info('6:lengthi5e4:name1:a12:piece lengthi-1e6:pieces20:aaaaaaaaaaaaaaaaaaaa'),
      'piece.torrent',
    ],
    [
      info('6:lengthi99999e4:name1:a12:piece lengthi16384e6:pieces20:aaaaaaaaaaaaaaaaaaaa'),
      'short.torrent',
    ],
    [`d4:info${'l'.repeat(100_000)}`, 'deep.torrent'],
  ];
  for (const [text, fileName] of refused) {
    it(`regression: refuses ${fileName}`, async () => {
      const result = await parseTorrentFile(new TextEncoder().encode(text), fileName);
      expect(result).to.deep.equal({
        ok: false,
        message: `"${fileName}" is not a valid .torrent file: it is damaged or incomplete.`,
      });
    });
  }
});
