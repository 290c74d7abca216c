// The demo a first visit offers: a short video made here by ffmpeg (never committed) and
// its .torrent, in public/demo/, served by the app itself. The app adds its own origin's copy
// of the video as the torrent's web seed, so the demo plays with no other peer (issue 24).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import createTorrent from 'create-torrent';

export const DEMO_DIR = resolve(import.meta.dirname, '../public/demo');
/** The file name the torrent gives the video (and the app's web seed URL names). */
export const DEMO_VIDEO = 'shoal-demo.mp4';

/** 24 s of a moving test card with a tone, 640×360 H.264 + AAC, moov first (streams at once). */
function makeVideo(path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  execFileSync(
    'ffmpeg',
    [
      ['-hide_banner', '-loglevel', 'error', '-y'],
      ['-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30:duration=24'],
      ['-f', 'lavfi', '-i', 'sine=frequency=330:beep_factor=2:duration=24'],
      ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '26', '-pix_fmt', 'yuv420p'],
      ['-g', '60', '-c:a', 'aac', '-b:a', '96k', '-movflags', '+faststart'],
      [`${path}.part.mp4`],
    ].flat(),
  );
  execFileSync('mv', [`${path}.part.mp4`, path]);
}

function makeTorrent(videoPath: string, announce: string): Promise<Uint8Array> {
  return new Promise((done, fail) => {
    createTorrent(
      videoPath,
      { name: DEMO_VIDEO, announceList: [[announce]], createdBy: 'Shoal demo', private: false },
      (err, torrent) => {
        if (err) fail(err);
        else done(torrent);
      },
    );
  });
}

/**
 * Makes the demo video once (ffmpeg) and its .torrent for `announce` (every start: the
 * tracker's port may differ). Returns false, saying why, when ffmpeg is missing: the app then
 * offers no demo.
 */
export async function prepareDemo(announce: string, dir = DEMO_DIR): Promise<boolean> {
  const video = join(dir, DEMO_VIDEO);
  if (!existsSync(video) || statSync(video).size === 0) {
    try {
      makeVideo(video);
    } catch (err) {
      console.warn(
        `  No demo: ffmpeg could not make its video (${err instanceof Error ? err.message.split('\n')[0] : String(err)}).`,
      );
      return false;
    }
  }
  writeFileSync(join(dir, 'demo.torrent'), await makeTorrent(video, announce));
  return true;
}
