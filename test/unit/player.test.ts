import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/ui/shoal-player/shoal-player.ts';
import type { PlayerItem, ShoalPlayer } from '../../src/ui/shoal-player/shoal-player.ts';
import {
  actionForKey,
  bufferedAheadS,
  formatClock,
  timeRangeFractions,
} from '../../src/ui/shoal-player/media-ranges.ts';

/** A silent PCM WAV of `seconds`, made here so that the test needs no fixture file. */
function silentWav(seconds: number): string {
  const rate = 8000;
  const samples = Math.round(seconds * rate);
  const buffer = new ArrayBuffer(44 + samples);
  const view = new DataView(buffer);
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples, true);
  ascii(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true); // PCM
  view.setUint16(22, 1, true); // mono
  view.setUint32(24, rate, true);
  view.setUint32(28, rate, true);
  view.setUint16(32, 1, true);
  view.setUint16(34, 8, true);
  ascii(36, 'data');
  view.setUint32(40, samples, true);
  new Uint8Array(buffer, 44).fill(128);
  return URL.createObjectURL(new Blob([buffer], { type: 'audio/wav' }));
}

const infoHash = 'd2474e86c95b19b8bcfdb92bc12c9d44667cfa36';
const item = (over: Partial<PlayerItem> = {}): PlayerItem => ({
  infoHash,
  path: 'Album/one.wav',
  name: 'one.wav',
  src: silentWav(30),
  kind: 'audio',
  mimeType: 'audio/wav',
  verified: [{ start: 0, end: 0.5 }],
  ...over,
});

const q = (el: ShoalPlayer, selector: string): HTMLElement | null =>
  el.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
const button = (el: ShoalPlayer, selector: string): HTMLButtonElement | null =>
  el.shadowRoot?.querySelector<HTMLButtonElement>(selector) ?? null;

async function loaded(el: ShoalPlayer): Promise<HTMLMediaElement> {
  await waitUntil(() => (el.media?.readyState ?? 0) >= 1, 'media never loaded', {
    timeout: 5000,
  });
  const media = el.media;
  if (!media) throw new Error('no media element');
  return media;
}

const press = (target: Element, key: string) => {
  target.dispatchEvent(
    new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }),
  );
};

describe('player helpers', () => {
  const clocks: [number, string][] = [
    [0, '0:00'],
    [5.9, '0:05'],
    [65, '1:05'],
    [3600 + 62, '1:01:02'],
    [NaN, '-:--'],
    [Infinity, '-:--'],
  ];
  for (const [seconds, text] of clocks) {
    it(`formatClock(${String(seconds)}) → ${text}`, () => {
      expect(formatClock(seconds)).to.equal(text);
    });
  }

  it('turns time ranges into fractions of the duration', () => {
    const ranges = {
      length: 2,
      start: (i: number) => [0, 50][i] ?? 0,
      end: (i: number) => [10, 120][i] ?? 0,
    };
    expect(timeRangeFractions(ranges, 100)).to.deep.equal([
      { start: 0, end: 0.1 },
      { start: 0.5, end: 1 },
    ]);
    expect(timeRangeFractions(ranges, NaN)).to.deep.equal([]);
  });

  it('measures the buffer ahead from one snapshot while the ranges merge under it', () => {
    // Like Chromium's element while it loads: each read of `buffered` is a new snapshot, and
    // here the three ranges of the first read have merged into two by the next one.
    const snapshots = [
      [
        [0, 5],
        [10, 12],
        [12.05, 30],
      ],
      [
        [0, 5],
        [10, 30],
      ],
    ];
    let reads = 0;
    const snapshot = (spans: number[][]) => ({
      length: spans.length,
      start: (i: number) => {
        const span = spans[i];
        if (!span) throw new DOMException('index out of bounds', 'IndexSizeError');
        return span[0] ?? 0;
      },
      end: (i: number) => {
        const span = spans[i];
        if (!span) throw new DOMException('index out of bounds', 'IndexSizeError');
        return span[1] ?? 0;
      },
    });
    const media = {
      currentTime: 11,
      get buffered() {
        const spans = snapshots[Math.min(reads++, snapshots.length - 1)] ?? [];
        return snapshot(spans) as unknown as TimeRanges;
      },
    };
    expect(bufferedAheadS(media)).to.equal(1);
    expect(reads).to.equal(1);
    media.currentTime = 20;
    expect(bufferedAheadS(media)).to.equal(10);
    media.currentTime = 7;
    expect(bufferedAheadS(media)).to.equal(0);
  });

  const keys: [string, ReturnType<typeof actionForKey>][] = [
    [' ', { kind: 'toggle-play' }],
    ['k', { kind: 'toggle-play' }],
    ['ArrowLeft', { kind: 'seek-by', seconds: -5 }],
    ['ArrowRight', { kind: 'seek-by', seconds: 5 }],
    ['j', { kind: 'seek-by', seconds: -10 }],
    ['l', { kind: 'seek-by', seconds: 10 }],
    ['m', { kind: 'toggle-mute' }],
    ['f', { kind: 'toggle-fullscreen' }],
    ['c', { kind: 'toggle-subtitles' }],
    ['x', null],
  ];
  for (const [key, action] of keys) {
    it(`key "${key}" → ${JSON.stringify(action)}`, () => {
      expect(actionForKey(key)).to.deep.equal(action);
    });
  }
});

describe('<shoal-player>', () => {
  // Where each file was left is kept in localStorage (resume.ts): every test starts afresh.
  beforeEach(() => {
    localStorage.clear();
  });

  it('renders labelled controls for an audio file, and is accessible', async () => {
    const el = await fixture<ShoalPlayer>(html`<shoal-player .items=${[item()]}></shoal-player>`);
    await loaded(el);
    expect(q(el, 'audio')).to.not.equal(null);
    expect(q(el, 'video')).to.equal(null);
    expect(q(el, '.title')?.textContent).to.equal('one.wav');
    for (const label of ['Seek', 'Volume']) {
      expect(q(el, `input[aria-label="${label}"]`), label).to.not.equal(null);
    }
    expect(q(el, 'button.play')?.getAttribute('aria-label')).to.match(/^(Play|Pause)$/);
    expect(q(el, 'button.mute')?.getAttribute('aria-label')).to.equal('Mute');
    // No full screen for sound, and no playlist for one file.
    expect(q(el, 'button.fullscreen')).to.equal(null);
    expect(q(el, '.playlist')).to.equal(null);
    // The downloaded part of the file shows on the seek bar.
    expect(q(el, '.track .verified')?.style.width).to.equal('50%');
    await waitUntil(() => q(el, '.time')?.textContent?.includes('0:30'), 'no duration shown');
    await expect(el).to.be.accessible();
  });

  it('keyboard shortcuts act on the media element', async () => {
    const el = await fixture<ShoalPlayer>(html`<shoal-player .items=${[item()]}></shoal-player>`);
    const media = await loaded(el);
    media.pause();
    media.currentTime = 0;
    const player = q(el, '.player');
    if (!player) throw new Error('no player');
    press(player, 'l');
    expect(media.currentTime).to.equal(10);
    press(player, 'ArrowLeft');
    expect(media.currentTime).to.equal(5);
    press(player, 'j');
    expect(media.currentTime).to.equal(0);
    press(player, 'ArrowRight');
    expect(media.currentTime).to.equal(5);
    press(player, 'm');
    expect(media.muted).to.equal(true);
    await waitUntil(
      () => q(el, 'button.mute')?.getAttribute('aria-label') === 'Unmute',
      'the mute button did not follow',
    );
    press(player, 'M');
    expect(media.muted).to.equal(false);
    press(player, 'k');
    await waitUntil(() => !media.paused, 'k did not play');
    press(player, ' ');
    expect(media.paused).to.equal(true);
    // Keys reach the player from its controls too.
    const play = q(el, 'button.play');
    if (!play) throw new Error('no play button');
    press(play, 'k');
    await waitUntil(() => !media.paused, 'k on a button did not play');
    media.pause();
  });

  it('a video asks for full screen with f and with its button', async () => {
    const el = await fixture<ShoalPlayer>(
      html`<shoal-player .items=${[item({ kind: 'video', name: 'clip.wav' })]}></shoal-player>`,
    );
    await loaded(el);
    let asked = 0;
    el.requestFullscreen = () => {
      asked += 1;
      return Promise.resolve();
    };
    const full = button(el, 'button.fullscreen');
    expect(full?.getAttribute('aria-label')).to.equal('Full screen');
    full?.click();
    press(q(el, '.player') ?? el, 'f');
    expect(asked).to.equal(2);
    await expect(el).to.be.accessible();
  });

  it('lists several files, plays the next when one ends, and steps with next/previous', async () => {
    const items = [
      item(),
      item({ path: 'Album/two.wav', name: 'two.wav', src: silentWav(1) }),
      item({ path: 'Album/three.wav', name: 'three.wav', src: silentWav(1) }),
    ];
    const el = await fixture<ShoalPlayer>(html`<shoal-player .items=${items}></shoal-player>`);
    const first = await loaded(el);
    const entries = [...(el.shadowRoot?.querySelectorAll('.playlist button') ?? [])];
    expect(entries.map((b) => b.textContent?.trim())).to.deep.equal([
      'one.wav',
      'two.wav',
      'three.wav',
    ]);
    expect(entries.map((b) => b.getAttribute('aria-current'))).to.deep.equal([
      'true',
      'false',
      'false',
    ]);
    expect(button(el, 'button[aria-label="Previous"]')?.disabled).to.equal(true);

    const track = oneEvent(el, 'shoal-track');
    first.dispatchEvent(new Event('ended'));
    expect((await track).detail).to.deep.equal({ index: 1, path: 'Album/two.wav' });
    await el.updateComplete;
    expect(el.index).to.equal(1);
    expect(el.media?.getAttribute('src')).to.equal(items[1]?.src);
    expect(q(el, '.title')?.textContent).to.equal('two.wav');

    button(el, 'button[aria-label="Next"]')?.click();
    await el.updateComplete;
    expect(el.index).to.equal(2);
    expect(button(el, 'button[aria-label="Next"]')?.disabled).to.equal(true);
    // The last one ending stops there.
    el.media?.dispatchEvent(new Event('ended'));
    await el.updateComplete;
    expect(el.index).to.equal(2);
    button(el, 'button[aria-label="Previous"]')?.click();
    await el.updateComplete;
    expect(el.index).to.equal(1);
    await expect(el).to.be.accessible();
  });

  it('a type the browser cannot play says so at once and offers to save it', async () => {
    const mov = item({
      name: 'holiday.mov',
      path: 'holiday.mov',
      kind: 'video',
      mimeType: 'video/quicktime',
    });
    const el = await fixture<ShoalPlayer>(html`<shoal-player .items=${[mov]}></shoal-player>`);
    // Not even tried: no media element, no controls.
    expect(el.media).to.equal(null);
    expect(q(el, '[role="alert"]')?.textContent).to.contain('cannot play "holiday.mov"');
    const save = oneEvent(el, 'shoal-save-file');
    button(el, '[role="alert"] button')?.click();
    expect((await save).detail).to.deep.equal({ infoHash, path: 'holiday.mov' });
    await expect(el).to.be.accessible();
  });

  it('a file that fails to decode says so and offers to save it', async () => {
    const garbage = URL.createObjectURL(new Blob([new Uint8Array(4096).fill(7)]));
    const broken = item({ name: 'broken.wav', path: 'broken.wav', src: garbage });
    const el = await fixture<ShoalPlayer>(html`<shoal-player .items=${[broken]}></shoal-player>`);
    await waitUntil(() => q(el, '[role="alert"]'), 'no error shown', { timeout: 5000 });
    expect(q(el, '[role="alert"]')?.textContent).to.contain('cannot play "broken.wav"');
    const save = oneEvent(el, 'shoal-save-file');
    button(el, '[role="alert"] button')?.click();
    expect((await save).detail).to.deep.equal({ infoHash, path: 'broken.wav' });
  });

  it('plays at the speed chosen, and keeps it for the next file', async () => {
    const two = [item(), item({ path: 'Album/two.wav', name: 'two.wav', src: silentWav(10) })];
    const el = await fixture<ShoalPlayer>(html`<shoal-player .items=${two}></shoal-player>`);
    const media = await loaded(el);
    const speed = el.shadowRoot?.querySelector<HTMLSelectElement>('select.speed');
    if (!speed) throw new Error('no speed control');
    expect(speed.getAttribute('aria-label')).to.equal('Playback speed');
    speed.value = '1.5';
    speed.dispatchEvent(new Event('change'));
    expect(media.playbackRate).to.equal(1.5);
    el.playAt(1);
    await el.updateComplete;
    const next = await loaded(el);
    expect(next).to.not.equal(media);
    expect(next.playbackRate).to.equal(1.5);
    await expect(el).to.be.accessible();
  });

  it('tells the system what plays (Media Session), following the playlist, until it is removed', async () => {
    const two = [item(), item({ path: 'Album/two.wav', name: 'two.wav', src: silentWav(10) })];
    const el = await fixture<ShoalPlayer>(html`<shoal-player .items=${two}></shoal-player>`);
    await loaded(el);
    expect(navigator.mediaSession.metadata?.title).to.equal('one.wav');
    expect(navigator.mediaSession.metadata?.album).to.equal('Album');
    el.playAt(1);
    await el.updateComplete;
    expect(navigator.mediaSession.metadata?.title).to.equal('two.wav');
    el.remove();
    expect(navigator.mediaSession.metadata).to.equal(null);
  });

  it('starts a file where the user left it, and says so', async () => {
    const first = await fixture<ShoalPlayer>(
      html`<shoal-player .items=${[item()]}></shoal-player>`,
    );
    const media = await loaded(first);
    media.pause();
    media.currentTime = 12;
    await waitUntil(() => localStorage.length === 1, 'the position was not kept');
    first.remove();
    const again = await fixture<ShoalPlayer>(
      html`<shoal-player .items=${[item()]}></shoal-player>`,
    );
    const resumed = await loaded(again);
    await waitUntil(() => Math.abs(resumed.currentTime - 12) < 0.5, 'it did not resume at 12 s');
    expect(q(again, '.resumed')?.textContent).to.equal('Resumed at 0:12');
    await expect(again).to.be.accessible();
  });

  it('offers picture in picture for a video where the browser has it', async () => {
    const el = await fixture<ShoalPlayer>(
      html`<shoal-player .items=${[item({ kind: 'video', name: 'clip.wav' })]}></shoal-player>`,
    );
    await loaded(el);
    expect(q(el, 'button.pip') !== null).to.equal(document.pictureInPictureEnabled);
    const audio = await fixture<ShoalPlayer>(
      html`<shoal-player .items=${[item()]}></shoal-player>`,
    );
    await loaded(audio);
    expect(q(audio, 'button.pip')).to.equal(null);
  });
});
