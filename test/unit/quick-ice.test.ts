import { expect, waitUntil } from '@open-wc/testing';
import { quickIcePeerConnection } from '../../src/engine/swarm/browser/quick-ice.ts';

type Handler = ((event: RTCPeerConnectionIceEvent) => unknown) | null;

/** Stands in for the browser's class: records its handler, fires candidates on demand. */
class FakePeerConnection {
  private handler: Handler = null;
  constructor(readonly config?: RTCConfiguration) {}
  get onicecandidate(): Handler {
    return this.handler;
  }
  set onicecandidate(handler: Handler) {
    this.handler = handler;
  }
  fire(candidate: RTCIceCandidate | null): void {
    this.handler?.(new RTCPeerConnectionIceEvent('icecandidate', { candidate }));
  }
}

const hostCandidate = (): RTCIceCandidate =>
  new RTCIceCandidate({
    candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host',
    sdpMid: '0',
    sdpMLineIndex: 0,
  });

function make(config: RTCConfiguration, graceMs: number) {
  const Quick = quickIcePeerConnection(
    FakePeerConnection as unknown as typeof RTCPeerConnection,
    graceMs,
  );
  const pc = new Quick(config) as unknown as RTCPeerConnection & FakePeerConnection;
  const seen: (string | null)[] = [];
  pc.onicecandidate = (event) => {
    seen.push(event.candidate ? event.candidate.candidate : null);
  };
  return { pc, seen };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('quick ICE gathering', () => {
  it('without ICE servers, gathering ends a grace after the first candidate, once', async () => {
    const { pc, seen } = make({ iceServers: [] }, 20);
    pc.fire(hostCandidate());
    expect(seen).to.have.length(1);
    await waitUntil(() => seen.includes(null), 'no early end', { timeout: 1000 });
    // A candidate gathered later still reaches the handler; the browser's own end is not
    // passed on a second time.
    pc.fire(hostCandidate());
    pc.fire(null);
    expect(seen.filter((c) => c === null)).to.have.length(1);
    expect(seen).to.have.length(3);
  });

  it('with ICE servers it waits for the browser, as before', async () => {
    const { pc, seen } = make({ iceServers: [{ urls: 'stun:127.0.0.1:3478' }] }, 5);
    pc.fire(hostCandidate());
    await sleep(50);
    expect(seen).to.not.include(null);
    pc.fire(null);
    expect(seen).to.deep.equal([seen[0], null]);
  });

  it('a real peer connection ends early with its host candidates already in the offer', async () => {
    const Quick = quickIcePeerConnection(RTCPeerConnection, 15);
    const pc = new Quick({ iceServers: [] });
    pc.createDataChannel('x');
    const ended = new Promise<void>((resolve) => {
      pc.onicecandidate = (event) => {
        if (event.candidate === null) resolve();
      };
    });
    await pc.setLocalDescription(await pc.createOffer());
    await ended;
    expect(pc.localDescription?.sdp).to.match(/a=candidate:/);
    pc.close();
  });
});
