import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURE_DIR, sha256, type Fixture } from './fixtures.ts';

/** ffmpeg arguments per fixture: synthetic picture and tone, nothing copyrighted. */
const RECIPES: Record<string, string[]> = {
  // H.264/AAC, moov first (faststart), a keyframe every second.
  'clip-h264.mp4': [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x240:rate=25',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=44100',
    '-t',
    '30',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '25',
    '-b:v',
    '400k',
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    '-movflags',
    '+faststart',
  ],
  // A minute of the same: long enough that a download paced near its bitrate lasts a while.
  'minute-h264.mp4': [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x240:rate=25',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=44100',
    '-t',
    '60',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-pix_fmt',
    'yuv420p',
    '-g',
    '25',
    '-b:v',
    '400k',
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    '-movflags',
    '+faststart',
  ],
  'clip-vp9.webm': [
    '-f',
    'lavfi',
    '-i',
    'testsrc2=size=320x240:rate=25',
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=330:sample_rate=48000',
    '-t',
    '20',
    '-c:v',
    'libvpx-vp9',
    '-deadline',
    'realtime',
    '-cpu-used',
    '8',
    '-b:v',
    '300k',
    '-g',
    '25',
    '-c:a',
    'libopus',
    '-b:a',
    '64k',
  ],
  'tone.mp3': [
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=523:sample_rate=44100',
    '-t',
    '20',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '96k',
  ],
  // Two short tracks for a playlist: the second must start when the first ends.
  'track-1.mp3': [
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=440:sample_rate=44100',
    '-t',
    '3',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '64k',
  ],
  'track-2.mp3': [
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=880:sample_rate=44100',
    '-t',
    '6',
    '-c:a',
    'libmp3lame',
    '-b:a',
    '64k',
  ],
  // One frame of the test picture, for the image preview.
  'still.png': ['-f', 'lavfi', '-i', 'testsrc2=size=64x48', '-frames:v', '1'],
  'tone.opus': [
    '-f',
    'lavfi',
    '-i',
    'sine=frequency=659:sample_rate=48000',
    '-t',
    '20',
    '-c:a',
    'libopus',
    '-b:a',
    '64k',
  ],
};

export type MediaName = string;

/** A generated media file, made once with Debian's ffmpeg and cached under .cache/e2e. */
export function mediaFixture(name: MediaName): Fixture {
  const recipe = RECIPES[name];
  if (!recipe) throw new Error(`no recipe for ${name}`);
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const path = join(FIXTURE_DIR, name);
  if (!existsSync(path)) {
    execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...recipe, path], {
      stdio: 'inherit',
    });
  }
  return { name, path, sha256: sha256(readFileSync(path)), lengthBytes: statSync(path).size };
}
