import { expect } from '@open-wc/testing';
import { parseRange, rangeResponseHead } from '../../src/stream/range.ts';
import { parseStreamPath, streamUrl } from '../../src/stream/stream-path.ts';

describe('parseRange', () => {
  const size = 1000;
  const cases: [string | null, ReturnType<typeof parseRange>][] = [
    [null, { kind: 'whole' }],
    ['bytes=0-', { kind: 'partial', range: { start: 0, end: 999 } }],
    ['bytes=0-0', { kind: 'partial', range: { start: 0, end: 0 } }],
    ['bytes=100-199', { kind: 'partial', range: { start: 100, end: 199 } }],
    ['bytes=900-5000', { kind: 'partial', range: { start: 900, end: 999 } }],
    ['bytes=-100', { kind: 'partial', range: { start: 900, end: 999 } }],
    ['bytes=-5000', { kind: 'partial', range: { start: 0, end: 999 } }],
    ['bytes=10-20, 30-40', { kind: 'partial', range: { start: 10, end: 20 } }],
    ['BYTES = 5 - 6', { kind: 'partial', range: { start: 5, end: 6 } }],
    ['bytes=1000-', { kind: 'unsatisfiable' }],
    ['bytes=-0', { kind: 'unsatisfiable' }],
    ['bytes=20-10', { kind: 'whole' }],
    ['items=0-10', { kind: 'whole' }],
    ['bytes=abc', { kind: 'whole' }],
    ['bytes=-', { kind: 'whole' }],
  ];
  for (const [header, expected] of cases) {
    it(`${String(header)} → ${JSON.stringify(expected)}`, () => {
      expect(parseRange(header, size)).to.deep.equal(expected);
    });
  }

  it('finds nothing to serve in an empty file', () => {
    expect(parseRange('bytes=0-', 0)).to.deep.equal({ kind: 'unsatisfiable' });
  });
});

describe('rangeResponseHead', () => {
  it('answers a range with 206 and its Content-Range', () => {
    const head = rangeResponseHead(
      { kind: 'partial', range: { start: 10, end: 19 } },
      100,
      'video/mp4',
    );
    expect(head.status).to.equal(206);
    expect(head.headers).to.include({
      'Content-Range': 'bytes 10-19/100',
      'Content-Length': '10',
      'Accept-Ranges': 'bytes',
      'Content-Type': 'video/mp4',
    });
  });

  it('a file opened in a tab of its own is a sandboxed document, unless a browser viewer shows it', () => {
    for (const type of ['image/svg+xml', 'text/plain', 'application/octet-stream']) {
      const headers = rangeResponseHead({ kind: 'whole' }, 100, type).headers;
      expect(headers['X-Content-Type-Options']).to.equal('nosniff');
      expect(headers['Content-Security-Policy'], type).to.match(/^sandbox; default-src 'none'/);
    }
    for (const type of ['video/mp4', 'audio/mpeg', 'image/png', 'application/pdf']) {
      const headers = rangeResponseHead({ kind: 'whole' }, 100, type).headers;
      expect(headers['X-Content-Type-Options']).to.equal('nosniff');
      expect(headers['Content-Security-Policy'], type).to.equal(undefined);
    }
  });

  it('answers the whole file with 200 and 416 with the size', () => {
    expect(rangeResponseHead({ kind: 'whole' }, 100, 'audio/mpeg')).to.deep.include({
      status: 200,
      range: { start: 0, end: 99 },
    });
    const refused = rangeResponseHead({ kind: 'unsatisfiable' }, 100, 'audio/mpeg');
    expect(refused.status).to.equal(416);
    expect(refused.headers['Content-Range']).to.equal('bytes */100');
    expect(refused.range).to.equal(null);
  });
});

describe('stream paths', () => {
  const hash = 'd2474e86c95b19b8bcfdb92bc12c9d44667cfa36';

  it('round-trips hostile file names', () => {
    for (const path of [
      'a.mp4',
      'Album/01 – Intro #1?.mp3',
      'dir/with%percent/ü ß.webm',
      'a+b&c=d.ogg',
    ]) {
      expect(
        parseStreamPath(new URL(streamUrl(hash, path), 'https://x.example').pathname),
      ).to.deep.equal({
        infoHash: hash,
        filePath: path,
      });
    }
  });

  it('refuses paths that name no torrent file', () => {
    for (const path of [
      '/stream/',
      `/stream/${hash}`,
      `/stream/${hash}/`,
      '/stream/nothex/a.mp4',
      `/stream/${hash}/a%2Fb.mp4`,
      `/stream/${hash}/%E0%A4%A.mp4`,
      `/other/${hash}/a.mp4`,
    ]) {
      expect(parseStreamPath(path), path).to.equal(null);
    }
  });

  it('accepts an upper-case info-hash and names it in lower case', () => {
    expect(parseStreamPath(`/stream/${hash.toUpperCase()}/a.mp4`)?.infoHash).to.equal(hash);
  });
});
