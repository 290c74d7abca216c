import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/ui/shoal-player/shoal-player.ts';
import type { PlayerItem, ShoalPlayer } from '../../src/ui/shoal-player/shoal-player.ts';
import { MAX_SUBTITLE_BYTES } from '../../src/ui/shoal-player/subtitles.ts';

/** A silent PCM WAV of `seconds`: a <video> plays it (as sound only), enough for its tracks. */
function silentWav(seconds: number): string {
  const rate = 8000;
  const samples = Math.round(seconds * rate);
  const view = new DataView(new ArrayBuffer(44 + samples));
  const ascii = (offset: number, text: string) => {
    for (let i = 0; i < text.length; i++) view.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  view.setUint32(4, 36 + samples, true);
  ascii(8, 'WAVEfmt ');
  view.setUint32(16, 16, true);
  view.setUint16(20, 1, true);
  view.setUint16(22, 1, true);
  view.setUint32(24, rate, true);
  view.setUint32(28, rate, true);
  view.setUint16(32, 1, true);
  view.setUint16(34, 8, true);
  ascii(36, 'data');
  view.setUint32(40, samples, true);
  new Uint8Array(view.buffer, 44).fill(128);
  return URL.createObjectURL(new Blob([view.buffer], { type: 'audio/wav' }));
}

const textUrl = (text: string) => URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
/** A SubRip file whose one cue, from 1 s to 9 s, says `text`. */
const srt = (text: string) => `1\r\n00:00:01,000 --> 00:00:09,000\r\n${text}\r\n`;
const vtt = (text: string) => `WEBVTT\n\n00:01.000 --> 00:09.000\n${text}\n`;

const infoHash = 'd2474e86c95b19b8bcfdb92bc12c9d44667cfa36';
const video = (name: string, subtitles: NonNullable<PlayerItem['subtitles']>): PlayerItem => ({
  infoHash,
  path: `Show/${name}`,
  name,
  src: silentWav(20),
  kind: 'video',
  mimeType: 'audio/wav',
  verified: [],
  subtitles,
});
const episode = (n: number) =>
  video(`ep${String(n)}.mp4`, [
    {
      path: `Show/ep${String(n)}.en.srt`,
      label: 'en',
      srclang: 'en',
      src: textUrl(srt(`English ${String(n)}`)),
    },
    {
      path: `Show/ep${String(n)}.fr.vtt`,
      label: 'fr',
      srclang: 'fr',
      src: textUrl(vtt(`Français ${String(n)}`)),
    },
  ]);

const q = (el: ShoalPlayer, selector: string): HTMLElement | null =>
  el.shadowRoot?.querySelector<HTMLElement>(selector) ?? null;
const menu = (el: ShoalPlayer): HTMLSelectElement | null =>
  el.shadowRoot?.querySelector('select.subtitles') ?? null;

/** The text of the cues the video shows now, with the label of the track they are from. */
function shown(el: ShoalPlayer): string {
  const tracks = Array.from(el.media?.textTracks ?? []).filter((t) => t.mode === 'showing');
  return tracks
    .map(
      (t) =>
        `${t.label}: ${Array.from(t.activeCues ?? [])
          .map((c) => (c as VTTCue).text)
          .join(' / ')}`,
    )
    .join('; ');
}

/** Waits for the video, then moves it to 2 s, inside every test cue. */
async function atTwoSeconds(el: ShoalPlayer): Promise<HTMLMediaElement> {
  await waitUntil(() => (el.media?.readyState ?? 0) >= 1, 'media never loaded', { timeout: 5000 });
  const media = el.media;
  if (!media) throw new Error('no media element');
  media.pause();
  media.currentTime = 2;
  return media;
}

const choose = async (el: ShoalPlayer, label: string) => {
  const select = menu(el);
  if (!select) throw new Error('no subtitles menu');
  const option = Array.from(select.options).find((o) => o.textContent.trim() === label);
  if (!option) throw new Error(`no option ${label}`);
  select.value = option.value;
  select.dispatchEvent(new Event('change'));
  await el.updateComplete;
};

const press = (el: ShoalPlayer, key: string) => {
  q(el, '.player')?.dispatchEvent(
    new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }),
  );
};

describe('<shoal-player> subtitles', () => {
  beforeEach(() => {
    localStorage.clear();
  });

  it("shows the torrent's first subtitles at once, converted from SubRip, and switches from the menu", async () => {
    const el = await fixture<ShoalPlayer>(
      html`<shoal-player .items=${[episode(1)]}></shoal-player>`,
    );
    await atTwoSeconds(el);
    await waitUntil(() => shown(el) === 'en: English 1', `shown: ${shown(el)}`, { timeout: 5000 });
    const select = menu(el);
    expect(select?.getAttribute('aria-label')).to.equal('Subtitles');
    expect(Array.from(select?.options ?? []).map((o) => o.textContent.trim())).to.deep.equal([
      'Subtitles off',
      'en',
      'fr',
    ]);
    await choose(el, 'fr');
    await waitUntil(() => shown(el) === 'fr: Français 1', `shown: ${shown(el)}`, { timeout: 5000 });
    // Only what the menu says shows: one track in the element.
    expect(el.media?.querySelectorAll('track')).to.have.length(1);
    await choose(el, 'Subtitles off');
    expect(shown(el)).to.equal('');
    expect(menu(el)?.selectedOptions[0]?.textContent.trim()).to.equal('Subtitles off');
    await expect(el).to.be.accessible();
  });

  it('keeps the choice for the next file, like the speed: a language, or off', async () => {
    const el = await fixture<ShoalPlayer>(
      html`<shoal-player .items=${[episode(1), episode(2), episode(3)]}></shoal-player>`,
    );
    await atTwoSeconds(el);
    await choose(el, 'fr');
    await waitUntil(() => shown(el) === 'fr: Français 1', `shown: ${shown(el)}`, { timeout: 5000 });
    el.playAt(1);
    await el.updateComplete;
    await atTwoSeconds(el);
    await waitUntil(() => shown(el) === 'fr: Français 2', `shown: ${shown(el)}`, { timeout: 5000 });
    await choose(el, 'Subtitles off');
    el.playAt(2);
    await el.updateComplete;
    await atTwoSeconds(el);
    await el.updateComplete;
    expect(el.media?.querySelector('track')).to.equal(null);
    expect(menu(el)?.value).to.equal('');
  });

  it('the c key turns the subtitles off and the same ones on again', async () => {
    const el = await fixture<ShoalPlayer>(
      html`<shoal-player .items=${[episode(1)]}></shoal-player>`,
    );
    await atTwoSeconds(el);
    await choose(el, 'fr');
    await waitUntil(() => shown(el) === 'fr: Français 1', `shown: ${shown(el)}`, { timeout: 5000 });
    press(el, 'c');
    await el.updateComplete;
    expect(shown(el)).to.equal('');
    press(el, 'c');
    await el.updateComplete;
    await waitUntil(() => shown(el) === 'fr: Français 1', `shown: ${shown(el)}`, { timeout: 5000 });
  });

  it('shows a subtitle file the user opens from disk, on a video with none in its torrent', async () => {
    const el = await fixture<ShoalPlayer>(
      html`<shoal-player .items=${[video('film.mp4', [])]}></shoal-player>`,
    );
    await atTwoSeconds(el);
    expect(q(el, 'select.subtitles')).to.equal(null);
    const button = q(el, 'button.subtitle-file');
    expect(button?.getAttribute('aria-label')).to.equal('Open a subtitle file (.srt, .vtt)');
    const input = el.shadowRoot?.querySelector<HTMLInputElement>('input.subtitle-file');
    if (!input) throw new Error('no file input');
    const picked = new DataTransfer();
    // Written in Windows-1252, as many older SubRip files are: é is one byte, 0xe9.
    const latin1 = new Uint8Array([...new TextEncoder().encode(srt('Caf').trimEnd()), 0xe9]);
    picked.items.add(new File([latin1], 'film.fr.srt'));
    input.files = picked.files;
    input.dispatchEvent(new Event('change'));
    await waitUntil(() => shown(el) === 'film.fr.srt: Café', `shown: ${shown(el)}`, {
      timeout: 5000,
    });
    expect(menu(el)?.selectedOptions[0]?.textContent.trim()).to.equal('film.fr.srt');
    await expect(el).to.be.accessible();
  });

  it('says why subtitles that cannot be read do not show', async () => {
    const huge = textUrl(srt('x'.repeat(MAX_SUBTITLE_BYTES)));
    const el = await fixture<ShoalPlayer>(
      html`<shoal-player
        .items=${[video('film.mp4', [{ path: 'film.srt', label: 'Subtitles', src: huge }])]}
      ></shoal-player>`,
    );
    await atTwoSeconds(el);
    await waitUntil(() => q(el, '.subtitle-error'), 'no message', { timeout: 5000 });
    expect(q(el, '.subtitle-error')?.textContent).to.contain('too large to be a subtitle file');
    expect(shown(el)).to.equal('');
    await expect(el).to.be.accessible();
  });

  it('offers no subtitles for sound', async () => {
    const audio: PlayerItem = { ...episode(1), kind: 'audio' };
    const el = await fixture<ShoalPlayer>(html`<shoal-player .items=${[audio]}></shoal-player>`);
    await waitUntil(() => (el.media?.readyState ?? 0) >= 1, 'media never loaded', {
      timeout: 5000,
    });
    expect(q(el, 'select.subtitles')).to.equal(null);
    expect(q(el, 'button.subtitle-file')).to.equal(null);
  });
});
