// Fuzzing the share target: what another app shares (a multipart POST the service worker
// receives, sw/share-target.ts) and the text the page then looks for a magnet link in. A
// share is kept whole and the browser sent on to the app, or the app is told why not; the
// text yields the magnet link it carries, or none; nothing throws.
import { expect } from '@open-wc/testing';
import fc from 'fast-check';
import { parseMagnetOrInfoHash } from '../../src/engine/torrent-input.ts';
import { ShareInbox } from '../../src/pwa/share-inbox.ts';
import { magnetInSharedText, readLaunch } from '../../src/store/launch.ts';
import { receiveShare } from '../../sw/share-target.ts';
import { fuzzParams, fuzzTimeoutMs, mutated } from './support/fuzz.ts';

const ORIGIN = location.origin;
const FIELDS = ['title', 'text', 'url'] as const;

/** Multipart turns every line break into CRLF (HTML's form encoding): compare lines. */
const lines = (text: string): string => text.replace(/\r\n|\r|\n/g, '\n');

const fileName = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 20 })
  .filter((name) => !/["\\\r\n%]/.test(name));

const share = fc.record({
  title: fc.option(fc.string({ unit: 'grapheme', maxLength: 40 }), { nil: undefined }),
  text: fc.option(fc.string({ unit: 'grapheme', maxLength: 80 }), { nil: undefined }),
  url: fc.option(fc.webUrl(), { nil: undefined }),
  files: fc.array(fc.record({ name: fileName, bytes: fc.uint8Array({ maxLength: 2000 }) }), {
    maxLength: 3,
  }),
  /** File inputs left empty: the browser still sends a nameless, empty file for each. */
  emptyInputs: fc.nat({ max: 2 }),
});
type Share = typeof share extends fc.Arbitrary<infer T> ? T : never;

function form(value: Share): FormData {
  const data = new FormData();
  for (const field of FIELDS) {
    const text = value[field];
    if (text !== undefined) data.set(field, text);
  }
  for (const file of value.files) data.append('files', new File([file.bytes], file.name));
  for (let i = 0; i < value.emptyInputs; i++) data.append('files', new File([], ''));
  return data;
}

/** A multipart body as a browser writes one, by hand, so that its text can be mutated. */
const BOUNDARY = '----shoalfuzz';
const validMultipart = share.map((value) => {
  const part = (disposition: string, content: string): string =>
    `--${BOUNDARY}\r\nContent-Disposition: form-data; ${disposition}\r\n\r\n${content}\r\n`;
  const parts = FIELDS.flatMap((field) => {
    const text = value[field];
    return text === undefined ? [] : [part(`name="${field}"`, text)];
  });
  for (const file of value.files)
    parts.push(
      part(
        `name="files"; filename="${file.name}"`,
        String.fromCharCode(...file.bytes.slice(0, 64)),
      ),
    );
  return `${parts.join('')}--${BOUNDARY}--\r\n`;
});

const post = (body: BodyInit, headers: Record<string, string> = {}): Request =>
  new Request(`${ORIGIN}/share-target`, { method: 'POST', body, headers });

/** Where the worker sent the browser: the app with the share's id, or with why it failed. */
async function outcome(request: Request): Promise<{ id: string } | { error: string }> {
  const response = await receiveShare(request, ORIGIN);
  expect(response.status).to.equal(303);
  const to = new URL(response.headers.get('Location') ?? '');
  expect(to.origin + to.pathname).to.equal(`${ORIGIN}/`);
  const launch = readLaunch(to);
  if (launch.shareId !== null) return { id: launch.shareId };
  expect(launch.shareError, to.href).to.be.a('string').and.not.equal('');
  return { error: launch.shareError ?? '' };
}

async function takeOut(id: string): Promise<{ files: File[]; text: string }> {
  const inbox = await ShareInbox.open();
  try {
    const item = await inbox.get(id);
    expect(item, `share ${id} kept`).to.not.equal(undefined);
    await inbox.delete(id);
    return { files: [...(item?.files ?? [])], text: item?.text ?? '' };
  } finally {
    inbox.close();
  }
}

describe('fuzz: the share target', function () {
  this.timeout(fuzzTimeoutMs);

  it('keeps every share whole: its non-blank text fields in order, its real files', async () => {
    await fc.assert(
      fc.asyncProperty(share, async (value) => {
        const result = await outcome(post(form(value)));
        if (!('id' in result)) expect.fail(`refused: ${result.error}`);
        const kept = await takeOut(result.id);
        const text = FIELDS.flatMap((field) => {
          const field_ = value[field];
          return field_ !== undefined && field_.trim() !== '' ? [field_] : [];
        }).join('\n');
        expect(lines(kept.text)).to.equal(lines(text));
        expect(kept.files.map((file) => file.name)).to.deep.equal(value.files.map((f) => f.name));
        const bytes = await Promise.all(
          kept.files.map(async (f) => new Uint8Array(await f.arrayBuffer())),
        );
        expect(bytes).to.deep.equal(value.files.map((f) => f.bytes));
      }),
      fuzzParams(200),
    );
  });

  it('answers a mutated or junk POST by keeping it or saying why, never throwing', async () => {
    const posted = fc.tuple(
      // Only what a header can hold: a browser refuses to send anything else.
      mutated(
        fc.constantFrom(`multipart/form-data; boundary=${BOUNDARY}`, 'text/plain', ''),
        2,
      ).filter((type) => /^[\t\x20-\x7e\x80-\xff]*$/.test(type)),
      fc.oneof(mutated(validMultipart), fc.string({ unit: 'binary', maxLength: 200 })),
    );
    await fc.assert(
      fc.asyncProperty(posted, async ([type, body]) => {
        const result = await outcome(post(body, type === '' ? {} : { 'Content-Type': type }));
        if ('id' in result) await takeOut(result.id);
      }),
      fuzzParams(500),
    );
  });
});

const MAGNET = `magnet:?xt=urn:btih:${'c'.repeat(40)}&dn=A+film`;
const word = fc
  .string({ unit: 'grapheme', maxLength: 12 })
  .filter((w) => !/magnet:|https?:/i.test(w));

describe('fuzz: a magnet link in shared text', function () {
  this.timeout(fuzzTimeoutMs);

  it('finds the magnet link among any words, bare or in a link to an app', () => {
    fc.assert(
      fc.property(
        fc.array(word, { maxLength: 5 }),
        fc.array(word, { maxLength: 5 }),
        fc.constantFrom(
          MAGNET,
          `https://app.example/?magnet=${encodeURIComponent(MAGNET)}`,
          `https://app.example/#${MAGNET}`,
        ),
        (before, after, carrier) => {
          const text = [...before, carrier, ...after].join(' ');
          expect(magnetInSharedText(text)).to.equal(MAGNET);
        },
      ),
      fuzzParams(2000),
    );
  });

  it('reads any text, mutated or not, as a link the parser accepts or refuses', () => {
    const text = fc.oneof(
      mutated(
        fc.constantFrom(
          MAGNET,
          `see https://app.example/?magnet=${encodeURIComponent(MAGNET)} now`,
        ),
      ),
      fc.string({ unit: 'binary', maxLength: 100 }),
    );
    fc.assert(
      fc.property(text, (value) => {
        const found = magnetInSharedText(value);
        if (found === null) return;
        const parsed = parseMagnetOrInfoHash(found);
        if (!parsed.ok) expect(parsed.message).to.not.equal('');
      }),
      fuzzParams(3000),
    );
  });
});
