import { expect } from '@open-wc/testing';
import { DEFAULT_SETTINGS, PUBLIC_TRACKERS, mergeSettings } from '../../src/config/settings.ts';
import { planNetwork } from '../../src/engine/policy/network.ts';
import { etaS, torrentState } from '../../src/engine/policy/torrent-status.ts';

describe('planNetwork', () => {
  const defaults = { trackers: null, iceServers: null };
  const cases = [
    { hostname: 'localhost', announce: ['ws://localhost:8000'], ice: 0 },
    { hostname: '127.0.0.1', announce: ['ws://127.0.0.1:8000'], ice: 0 },
    { hostname: '::1', announce: ['ws://[::1]:8000'], ice: 0 },
    { hostname: 'shoal.localhost', announce: ['ws://shoal.localhost:8000'], ice: 0 },
    { hostname: 'shoal.example.org', announce: PUBLIC_TRACKERS, ice: 1 },
    { hostname: '192.168.1.20', announce: PUBLIC_TRACKERS, ice: 1 },
  ];
  for (const { hostname, announce, ice } of cases) {
    it(`served from ${hostname}: announces to ${announce.join(', ')}`, () => {
      const plan = planNetwork({ hostname, settings: defaults, localTrackerPort: 8000 });
      expect(plan.announce).to.deep.equal(announce);
      expect(plan.iceServers).to.have.length(ice);
    });
  }

  it('uses the port the local tracker was started on', () => {
    const plan = planNetwork({
      hostname: 'localhost',
      settings: defaults,
      localTrackerPort: 18000,
    });
    expect(plan.announce).to.deep.equal(['ws://localhost:18000']);
  });

  it('lets settings name the trackers and ICE servers anywhere', () => {
    const settings = { trackers: ['wss://t.example'], iceServers: [{ urls: 'stun:s.example' }] };
    for (const hostname of ['localhost', 'shoal.example.org']) {
      const plan = planNetwork({ hostname, settings, localTrackerPort: 8000 });
      expect(plan.announce).to.deep.equal(['wss://t.example']);
      expect(plan.iceServers).to.deep.equal([{ urls: 'stun:s.example' }]);
    }
  });
});

describe('mergeSettings', () => {
  it('returns the defaults for nothing saved or garbage', () => {
    for (const saved of [null, undefined, 42, 'x', [1, 2]]) {
      expect(mergeSettings(DEFAULT_SETTINGS, saved)).to.deep.equal(DEFAULT_SETTINGS);
    }
  });

  it('keeps well-formed fields and drops malformed or unknown ones', () => {
    const merged = mergeSettings(DEFAULT_SETTINGS, {
      trackers: ['wss://a.example', 'wss://a.example', 'ws://b.example:9000'],
      iceServers: [{ urls: 'stun:x' }],
      maxConns: 10,
      cacheBudgetBytes: 500_000_000,
      evil: true,
    });
    expect(merged).to.deep.equal({
      trackers: ['wss://a.example', 'ws://b.example:9000'],
      iceServers: [{ urls: 'stun:x' }],
      maxConns: 10,
      cacheBudgetBytes: 500_000_000,
      peerAssist: DEFAULT_SETTINGS.peerAssist,
    });
  });

  it('refuses trackers that are not WebSocket URLs, and absurd connection counts', () => {
    const merged = mergeSettings(DEFAULT_SETTINGS, {
      trackers: ['udp://tracker.example:80', 'wss://ok.example'],
      iceServers: [{ nope: 1 }],
      maxConns: -3,
      cacheBudgetBytes: -1,
    });
    expect(merged).to.deep.equal(DEFAULT_SETTINGS);
    expect(mergeSettings(DEFAULT_SETTINGS, { cacheBudgetBytes: '1 GB' }).cacheBudgetBytes).to.equal(
      null,
    );
    expect(mergeSettings(DEFAULT_SETTINGS, { maxConns: 1.5 }).maxConns).to.equal(60);
  });

  const peerAssistCases: [string, unknown, Partial<typeof DEFAULT_SETTINGS.peerAssist>][] = [
    ['a saved threshold replaces its default', { lowBufferS: 2 }, { lowBufferS: 2 }],
    ['web seeds used freely', { useWebSeedsFreely: true }, { useWebSeedsFreely: true }],
    ['a negative threshold is dropped', { coldStartS: -1 }, {}],
    ['a string for a number is dropped', { maxUnchoked: '4' }, {}],
    ['a number for a boolean is dropped', { useWebSeedsFreely: 1 }, {}],
    ['infinity is dropped', { webSeedMaxAheadS: Infinity }, {}],
    ['recovery under the low mark: both default', { lowBufferS: 8, recoveredBufferS: 5 }, {}],
    ['a soft limit above the hard one: both default', { softConns: 70 }, {}],
    ['unknown fields are dropped', { evil: 1 }, {}],
    ['garbage', 'x', {}],
  ];
  for (const [name, peerAssist, expected] of peerAssistCases) {
    it(`peer assist: ${name}`, () => {
      expect(mergeSettings(DEFAULT_SETTINGS, { peerAssist }).peerAssist).to.deep.equal({
        ...DEFAULT_SETTINGS.peerAssist,
        ...expected,
      });
    });
  }

  it('accepts an explicit null to go back to the origin defaults', () => {
    const custom = mergeSettings(DEFAULT_SETTINGS, { trackers: ['wss://a.example'] });
    expect(mergeSettings(custom, { trackers: null }).trackers).to.equal(null);
  });
});

describe('torrentState', () => {
  const base = { paused: false, errorMessage: null, hasMetadata: true, done: false };
  const cases = [
    [{ ...base, hasMetadata: false }, 'metadata'],
    [base, 'downloading'],
    [{ ...base, done: true }, 'seeding'],
    [{ ...base, paused: true }, 'paused'],
    [{ ...base, paused: true, hasMetadata: false }, 'paused'],
    [{ ...base, errorMessage: 'disk full', paused: true }, 'error'],
  ] as const;
  for (const [inputs, state] of cases) {
    it(`${JSON.stringify(inputs)} → ${state}`, () => {
      expect(torrentState(inputs)).to.equal(state);
    });
  }
});

describe('etaS', () => {
  const cases: [number, number, number | null][] = [
    [0, 0, 0],
    [1_000_000, 100_000, 10],
    [1_000_001, 100_000, 11],
    [1_000_000, 0, null],
    [1_000_000, 10, null],
    [-5, 100_000, null],
    [Infinity, 100_000, null],
  ];
  for (const [remaining, rate, expected] of cases) {
    it(`${String(remaining)} bytes at ${String(rate)} B/s → ${String(expected)}`, () => {
      expect(etaS(remaining, rate)).to.equal(expected);
    });
  }
});
