import { expect } from '@open-wc/testing';
import { decodeText } from '../../src/ui/read-start.ts';
import { asWebVtt, cueText, srtToVtt, vttTime } from '../../src/ui/shoal-player/srt-to-vtt.ts';
import { subtitlesFor } from '../../src/ui/shoal-player/subtitle-match.ts';

/** The cues Chromium's own WebVTT parser reads from `vtt`: what the player would show. */
async function browserCues(vtt: string): Promise<{ start: number; end: number; text: string }[]> {
  const video = document.createElement('video');
  const track = document.createElement('track');
  track.src = URL.createObjectURL(new Blob([vtt], { type: 'text/vtt' }));
  track.default = true;
  video.append(track);
  document.body.append(video);
  track.track.mode = 'hidden';
  await new Promise((resolve, reject) => {
    track.addEventListener('load', resolve);
    track.addEventListener('error', reject);
  });
  const cues = Array.from(track.track.cues ?? []) as VTTCue[];
  video.remove();
  return cues.map((c) => ({ start: c.startTime, end: c.endTime, text: c.text }));
}

describe('SubRip to WebVTT', () => {
  it('keeps every cue with its timing and lines, and the WebVTT parser reads them back', async () => {
    const srt = [
      '\uFEFF1',
      '00:00:01,000 --> 00:00:02,500',
      'Hello there.',
      'Second line.',
      '',
      '2',
      '00:01:02,040 --> 01:00:00,000 X1:10 X2:20 Y1:30 Y2:40',
      '<i>General</i> Kenobi!',
      '',
      '',
    ].join('\r\n');
    const vtt = srtToVtt(srt);
    expect(vtt).to.equal(
      'WEBVTT\n\n' +
        '00:00:01.000 --> 00:00:02.500\nHello there.\nSecond line.\n\n' +
        '00:01:02.040 --> 01:00:00.000\n<i>General</i> Kenobi!\n',
    );
    expect(await browserCues(vtt)).to.deep.equal([
      { start: 1, end: 2.5, text: 'Hello there.\nSecond line.' },
      { start: 62.04, end: 3600, text: '<i>General</i> Kenobi!' },
    ]);
  });

  it('reads what real files do: no blank line between cues, blank lines inside one, \\r endings, short fractions', async () => {
    const srt = [
      '1',
      '0:00:01,5 --> 0:00:02.25',
      'One',
      '2',
      '00:00:03,000 --> 00:00:04,000',
      'Two, first part',
      '',
      'Two, after a blank line',
      '',
      '3',
      '00:00:05,000 --> 00:00:04,000',
      'Ends before it starts',
    ].join('\r');
    expect(await browserCues(srtToVtt(srt))).to.deep.equal([
      { start: 1.5, end: 2.25, text: 'One' },
      { start: 3, end: 4, text: 'Two, first part\nTwo, after a blank line' },
    ]);
  });

  const lines: [string, string][] = [
    ['a < b & c > d', 'a &lt; b &amp; c &gt; d'],
    ['he said --> go', 'he said --&gt; go'],
    ['<I>loud</I> <b>bold</b> <u>under</u>', '<i>loud</i> <b>bold</b> <u>under</u>'],
    ['<font color="#ff0000">red</font>', 'red'],
    ['{\\an8}On top', 'On top'],
    ['Tom &amp; Jerry &#233;', 'Tom &amp; Jerry &#233;'],
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<c.yellow>not SubRip</c>', '&lt;c.yellow&gt;not SubRip&lt;/c&gt;'],
  ];
  for (const [line, text] of lines) {
    it(`cue text ${JSON.stringify(line)} → ${JSON.stringify(text)}`, () => {
      expect(cueText(line)).to.equal(text);
    });
  }

  it('shows escaped text as written, not as markup', async () => {
    const cues = await browserCues(srtToVtt('1\n00:00:01,000 --> 00:00:02,000\na < b --> c & d\n'));
    expect(cues).to.have.length(1);
    const fragment = new VTTCue(0, 1, cues[0]?.text ?? '').getCueAsHTML();
    expect(fragment.textContent).to.equal('a < b --> c & d');
  });

  it('writes WebVTT timestamps past an hour', () => {
    expect(vttTime(0)).to.equal('00:00:00.000');
    expect(vttTime(3_723_004)).to.equal('01:02:03.004');
    expect(vttTime(100 * 3_600_000)).to.equal('100:00:00.000');
  });

  it('uses WebVTT as it is, and converts anything else as SubRip', () => {
    const vtt = 'WEBVTT - a title\n\n00:01.000 --> 00:02.000\n<c.yellow>hi</c>\n';
    expect(asWebVtt(vtt)).to.equal(vtt);
    expect(asWebVtt('\uFEFFWEBVTT\n')).to.equal('\uFEFFWEBVTT\n');
    expect(asWebVtt('WEBVTTX\n')).to.equal('WEBVTT\n');
    expect(asWebVtt('1\n00:00:01,000 --> 00:00:02,000\nhi\n')).to.equal(
      'WEBVTT\n\n00:00:01.000 --> 00:00:02.000\nhi\n',
    );
  });
});

describe('decoding subtitle and text files', () => {
  const bytes = (...b: number[]) => new Uint8Array(b);
  it('reads UTF-8, dropping its byte-order mark', () => {
    expect(decodeText(new TextEncoder().encode('\uFEFFçà ✓'), true)).to.equal('çà ✓');
  });
  it('reads UTF-8 cut in the middle of a character at the end of the part read', () => {
    const whole = new TextEncoder().encode('ok ✓');
    expect(decodeText(whole.slice(0, whole.length - 1), false)).to.equal('ok ');
  });
  it('reads Windows-1252 when the bytes are not UTF-8, even only at the end of the file', () => {
    expect(decodeText(bytes(0x63, 0x61, 0x66, 0xe9, 0x20, 0x80), true)).to.equal('café €');
    expect(decodeText(bytes(0x63, 0x61, 0x66, 0xe9), true)).to.equal('café');
  });
  it('reads UTF-16 with a byte-order mark', () => {
    expect(decodeText(bytes(0xff, 0xfe, 0x68, 0, 0x69, 0), true)).to.equal('hi');
    expect(decodeText(bytes(0xfe, 0xff, 0, 0x68, 0, 0x69), true)).to.equal('hi');
  });
});

describe('subtitles matched to a video by name', () => {
  const torrent = [
    'Show/ep1.mp4',
    'Show/ep1.srt',
    'Show/ep1.en.vtt',
    'Show/ep1.pt-BR.srt',
    'Show/ep1.en.forced.srt',
    'Show/ep10.srt',
    'Show/ep2.mkv',
    'Show/Subs/ep2.fr.srt',
    'Show/Other/ep2.de.srt',
    'Show/ep2.txt',
    'Show/Subs/ep3/2_English.srt',
    'Show/Subs/ep3/3_French.srt',
    'Show/Subs/ep1x/nope.srt',
    'Show/Subs/ep3/deeper/nope.srt',
  ];
  const cases: [string, string[], boolean, unknown[]][] = [
    [
      'Show/ep1.mp4',
      torrent,
      false,
      [
        { path: 'Show/ep1.srt', label: 'Subtitles' },
        { path: 'Show/ep1.en.vtt', label: 'en', srclang: 'en' },
        { path: 'Show/ep1.en.forced.srt', label: 'en.forced', srclang: 'en' },
        { path: 'Show/ep1.pt-BR.srt', label: 'pt-BR', srclang: 'pt-BR' },
      ],
    ],
    [
      'Show/ep2.mkv',
      torrent,
      false,
      [{ path: 'Show/Subs/ep2.fr.srt', label: 'fr', srclang: 'fr' }],
    ],
    [
      'Show/ep3.mp4',
      torrent,
      false,
      [
        { path: 'Show/Subs/ep3/2_English.srt', label: '2_English' },
        { path: 'Show/Subs/ep3/3_French.srt', label: '3_French' },
      ],
    ],
    [
      'movie.mp4',
      ['movie.mp4', 'movie.srt', 'Movie.VTT'],
      true,
      [
        { path: 'movie.srt', label: 'Subtitles' },
        { path: 'Movie.VTT', label: 'Movie.VTT' },
      ],
    ],
    [
      'Film/film.mp4',
      ['Film/film.mp4', 'Film/Subtitles/English.srt', 'Film/notes.txt', 'Elsewhere/x.srt'],
      true,
      [{ path: 'Film/Subtitles/English.srt', label: 'English' }],
    ],
    ['Film/film.mp4', ['Film/film.mp4', 'Film/other.srt', 'Film/film2.mp4'], false, []],
  ];
  for (const [video, paths, onlyVideo, expected] of cases) {
    it(`${video}${onlyVideo ? ' (the only video)' : ''} → ${String(expected.length)} tracks`, () => {
      expect(subtitlesFor(video, paths, onlyVideo)).to.deep.equal(expected);
    });
  }
});
