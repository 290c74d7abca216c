import { svg, type SVGTemplateResult } from 'lit';

/** Control icons drawn inline, so that they need no symbol font (many systems lack one). */
const icon = (body: SVGTemplateResult) =>
  svg`<svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false" fill="currentColor">${body}</svg>`;

export const ICONS = {
  play: icon(svg`<path d="M7 4.5v15l12.5-7.5z"/>`),
  pause: icon(svg`<path d="M6 4.5h4v15H6zM14 4.5h4v15h-4z"/>`),
  previous: icon(svg`<path d="M5 5h2.5v14H5zM19.5 5v14L8.5 12z"/>`),
  next: icon(svg`<path d="M16.5 5H19v14h-2.5zM4.5 5v14l11-7z"/>`),
  volume: icon(
    svg`<path d="M4 9h4l5-4.5v15L8 15H4z"/><path d="M16 8.5a5 5 0 0 1 0 7M18.5 6a8.5 8.5 0 0 1 0 12" fill="none" stroke="currentColor" stroke-width="2"/>`,
  ),
  muted: icon(
    svg`<path d="M4 9h4l5-4.5v15L8 15H4z"/><path d="M16 9l5 6M21 9l-5 6" stroke="currentColor" stroke-width="2"/>`,
  ),
  pictureInPicture: icon(
    svg`<path d="M3 5h18v14H3z" fill="none" stroke="currentColor" stroke-width="2"/><path d="M12 11h7v6h-7z"/>`,
  ),
  subtitles: icon(
    svg`<path d="M3 5h18v14H3z" fill="none" stroke="currentColor" stroke-width="2"/><path d="M10.5 10.2a2.2 2.2 0 1 0 0 3.6M17 10.2a2.2 2.2 0 1 0 0 3.6" fill="none" stroke="currentColor" stroke-width="1.6"/>`,
  ),
  fullscreen: icon(
    svg`<path d="M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5" fill="none" stroke="currentColor" stroke-width="2"/>`,
  ),
};
