/**
 * Which subtitle files of a torrent belong to which video, by name, the way desktop players
 * find them: `movie.srt` and `movie.en.vtt` beside `movie.mp4`, or in a `Subs`/`Subtitles`
 * folder beside it. What follows the video's name is the track's label (and its language,
 * when it reads as a language tag: "en", "pt-BR"). A torrent with one video may name its
 * subtitles anything ("Subs/English.srt"): they can only be that video's; so may a folder of
 * the video's own name in that folder ("Subs/ep1/2_English.srt", as many series are packed).
 */

/** A subtitle file found for a video. */
export interface SubtitleMatch {
  readonly path: string;
  readonly label: string;
  /** The language, when the label is a language tag. */
  readonly srclang?: string;
}

const SUBTITLE = /\.(?:srt|vtt)$/i;
const SUBS_FOLDER = /^(?:subs?|subtitles?)\/$/i;
const LANGUAGE = /^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$/i;

export const isSubtitleFile = (name: string): boolean => SUBTITLE.test(name);

function split(path: string): { dir: string; name: string } {
  const slash = path.lastIndexOf('/');
  return { dir: path.slice(0, slash + 1), name: path.slice(slash + 1) };
}

const stem = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? name : name.slice(0, dot);
};

/**
 * The subtitles of `videoPath` among a torrent's `paths`: those named exactly like the video
 * first, then the others by label. `onlyVideo` says the torrent has no other video.
 */
export function subtitlesFor(
  videoPath: string,
  paths: readonly string[],
  onlyVideo: boolean,
): SubtitleMatch[] {
  const video = split(videoPath);
  const videoStem = stem(video.name).toLowerCase();
  const found: { path: string; tag: string }[] = [];
  for (const path of paths) {
    if (!isSubtitleFile(path)) continue;
    const { dir, name } = split(path);
    if (!dir.startsWith(video.dir)) continue;
    const below = dir.slice(video.dir.length);
    const slash = below.indexOf('/');
    const subs = SUBS_FOLDER.test(below.slice(0, slash + 1));
    const own = subs && below.slice(slash + 1).toLowerCase() === `${videoStem}/`;
    if (below !== '' && !(subs && (slash === below.length - 1 || own))) continue;
    const subStem = stem(name);
    const lower = subStem.toLowerCase();
    if (lower === videoStem) found.push({ path, tag: '' });
    else if (lower.startsWith(`${videoStem}.`)) {
      found.push({ path, tag: subStem.slice(videoStem.length + 1) });
    } else if (onlyVideo || own) found.push({ path, tag: subStem });
  }
  found.sort((a, b) =>
    (a.tag === '') !== (b.tag === '') ? (a.tag === '' ? -1 : 1) : a.tag.localeCompare(b.tag),
  );
  const labels = new Set<string>();
  return found.map(({ path, tag }) => {
    // Two files may give one label (movie.srt and movie.vtt): the file's name tells them apart.
    let label = tag || 'Subtitles';
    if (labels.has(label)) label = split(path).name;
    labels.add(label);
    const language = tag.split('.')[0] ?? '';
    return LANGUAGE.test(language) ? { path, label, srclang: language } : { path, label };
  });
}
