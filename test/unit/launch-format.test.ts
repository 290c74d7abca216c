import { expect } from '@open-wc/testing';
import { magnetFromUrl } from '../../src/launch/launch-url.ts';
import { withoutLaunch } from '../../src/store/launch.ts';
import { formatBytes, formatEta, formatPercent, formatRate } from '../../src/ui/format.ts';

const MAGNET = 'magnet:?xt=urn:btih:d2474e86c95b19b8bcfdb92bc12c9d44667cfa36&dn=Leaves+of+Grass';

describe('magnetFromUrl', () => {
  it('reads ?magnet=<urlencoded>', () => {
    const url = new URL(`https://shoal.example/?magnet=${encodeURIComponent(MAGNET)}`);
    expect(magnetFromUrl(url)).to.equal(MAGNET);
  });

  it('reads #magnet:?…, encoded or not', () => {
    expect(magnetFromUrl(new URL(`https://shoal.example/#${MAGNET}`))).to.equal(MAGNET);
    expect(magnetFromUrl(new URL(`https://shoal.example/#${encodeURIComponent(MAGNET)}`))).to.equal(
      MAGNET,
    );
  });

  it('finds nothing in an ordinary URL', () => {
    expect(magnetFromUrl(new URL('https://shoal.example/?q=1#top'))).to.equal(null);
    expect(magnetFromUrl(new URL('https://shoal.example/?magnet='))).to.equal(null);
  });

  it('removes the magnet and keeps the rest', () => {
    const url = new URL(`https://shoal.example/?x=1&magnet=${encodeURIComponent(MAGNET)}`);
    expect(withoutLaunch(url).href).to.equal('https://shoal.example/?x=1');
    expect(withoutLaunch(new URL(`https://shoal.example/#${MAGNET}`)).href).to.equal(
      'https://shoal.example/',
    );
  });
});

describe('format', () => {
  it('shows sizes and rates in binary units', () => {
    expect(formatBytes(16 * 1024 * 1024)).to.equal('16 MiB');
    expect(formatBytes(1536)).to.equal('1.5 KiB');
    expect(formatRate(0)).to.equal('—');
    expect(formatRate(2 * 1024 * 1024)).to.equal('2 MiB/s');
  });

  it('shows an ETA a person reads at a glance', () => {
    expect(formatEta(null)).to.equal('—');
    expect(formatEta(42)).to.equal('42 s');
    expect(formatEta(150)).to.equal('2 min');
    expect(formatEta(3 * 3600 + 120)).to.equal('3 h 2 min');
    expect(formatEta(5 * 86400)).to.equal('5 days');
  });

  it('never rounds an unfinished torrent up to 100%', () => {
    expect(formatPercent(0.9999)).to.equal('99.9%');
    expect(formatPercent(1)).to.equal('100%');
    expect(formatPercent(0)).to.equal('0.0%');
  });
});
