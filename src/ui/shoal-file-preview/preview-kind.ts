import { mimeTypeFor } from '../../engine/mime.ts';

/**
 * Which files the detail can show inside the page, by their extension: images (an <img>,
 * where an SVG's scripts never run), PDFs (the browser's own viewer), and text, which is only
 * ever shown as text, whatever it holds (HTML included).
 */
export type PreviewKind = 'image' | 'pdf' | 'text';

const TEXT = new Set(
  (
    'txt text md markdown nfo diz log csv tsv json xml yml yaml toml ini cfg conf srt vtt ass ssa ' +
    'sub cue m3u m3u8 sfv md5 sha1 sha256 html htm css js ts py sh rs go c h cpp java rb tex'
  ).split(' '),
);

export function previewKind(name: string): PreviewKind | null {
  const type = mimeTypeFor(name);
  if (type.startsWith('image/')) return 'image';
  if (type === 'application/pdf') return 'pdf';
  const dot = name.lastIndexOf('.');
  return dot !== -1 && TEXT.has(name.slice(dot + 1).toLowerCase()) ? 'text' : null;
}
