import { expect } from '@open-wc/testing';
import {
  deviceMemoryOf,
  missingCapabilities,
  probeCapabilities,
} from '../../src/launch/capabilities.ts';

describe('what this browser lacks (launch/capabilities.ts)', () => {
  it('finds WebRTC, OPFS and service workers in this Chromium', () => {
    expect(probeCapabilities(window)).to.deep.equal({
      webrtc: true,
      opfs: true,
      serviceWorker: true,
    });
    expect(missingCapabilities(probeCapabilities(window))).to.deep.equal([]);
  });

  it('finds them missing where the page does not have them', () => {
    const bare = { navigator: {} as Navigator };
    expect(probeCapabilities(bare)).to.deep.equal({
      webrtc: false,
      opfs: false,
      serviceWorker: false,
    });
  });

  it('says one thing per missing capability: what is missing and what still works', () => {
    const all = { webrtc: true, opfs: true, serviceWorker: true };
    const table: [Partial<typeof all>, RegExp][] = [
      [{ webrtc: false }, /no WebRTC.*web seed still download/],
      [{ opfs: false }, /no private file storage \(OPFS\).*lost when the page closes/],
      [{ serviceWorker: false }, /service workers.*Downloads and saving still work/],
    ];
    for (const [missing, said] of table) {
      const messages = missingCapabilities({ ...all, ...missing });
      expect(messages).to.have.length(1);
      expect(messages[0]).to.match(said);
    }
    expect(
      missingCapabilities({ webrtc: false, opfs: false, serviceWorker: false }),
    ).to.have.length(3);
  });

  it('reads what Chromium says of the device memory, and nothing where a browser says nothing', () => {
    const here = deviceMemoryOf(window);
    expect(here.deviceMemoryGiB).to.be.a('number').above(0);
    expect(here.jsHeapSizeLimitBytes).to.be.a('number').above(0);
    expect(deviceMemoryOf({ navigator: {} as Navigator })).to.deep.equal({
      deviceMemoryGiB: null,
      jsHeapSizeLimitBytes: null,
    });
  });

  it('without OPFS, says how much of downloads this device can hold in memory when it knows', () => {
    const noOpfs = { webrtc: true, opfs: false, serviceWorker: true };
    expect(missingCapabilities(noOpfs, 2 * 1024 ** 3)[0]).to.contain(
      'This device can spare about 2 GiB for them: a larger download is paused',
    );
    expect(missingCapabilities(noOpfs)[0]).to.contain('well within the memory');
  });
});
