import { css } from 'lit';
import { controls } from '../shared-styles.ts';

export const playerStyles = [
  controls,
  css`
    :host {
      display: block;
      margin: 0.75rem 0;
    }
    :host(:fullscreen) {
      background: #000;
      color: #fff;
    }
    .player:focus-visible {
      outline: 2px solid var(--shoal-accent);
      outline-offset: 2px;
    }
    video {
      display: block;
      width: 100%;
      max-height: 70vh;
      background: #000;
      border-radius: 0.4rem;
    }
    /* The next item, loading ahead. */
    [hidden] {
      display: none !important;
    }
    :host(:fullscreen) video {
      max-height: calc(100vh - 3.5rem);
      height: calc(100vh - 3.5rem);
      border-radius: 0;
    }
    .title {
      margin: 0 0 0.25rem;
      font-weight: 600;
    }
    .controls {
      display: flex;
      align-items: center;
      gap: 0.4rem;
      padding: 0.4rem 0;
      flex-wrap: wrap;
    }
    .controls button {
      display: inline-flex;
      align-items: center;
      justify-content: center;
      padding: 0.3rem 0.5rem;
      min-width: 2.2rem;
    }
    .seek {
      position: relative;
      flex: 1 1 10rem;
      height: 1.5rem;
      min-width: 8rem;
    }
    .track {
      position: absolute;
      left: 0;
      right: 0;
      top: 50%;
      height: 0.4rem;
      transform: translateY(-50%);
      border-radius: 0.2rem;
      background: var(--shoal-track);
      overflow: hidden;
    }
    .track > div {
      position: absolute;
      top: 0;
      bottom: 0;
    }
    /* Downloaded pieces of the file under what the element has buffered. */
    .verified {
      background: color-mix(in srgb, var(--shoal-accent) 30%, transparent);
    }
    .buffered {
      background: color-mix(in srgb, var(--shoal-accent) 60%, transparent);
    }
    .played {
      left: 0;
      background: var(--shoal-accent);
    }
    input.position {
      position: absolute;
      inset: 0;
      width: 100%;
      margin: 0;
      opacity: 0;
      cursor: pointer;
    }
    .seek:focus-within .track {
      outline: 2px solid var(--shoal-accent);
      outline-offset: 2px;
    }
    .time {
      font-variant-numeric: tabular-nums;
      white-space: nowrap;
    }
    input.volume {
      width: 5rem;
    }
    select.speed,
    select.subtitles {
      font: inherit;
      padding: 0.25rem 0.3rem;
      border: 1px solid var(--shoal-border);
      border-radius: 0.4rem;
      background: var(--shoal-bg);
      color: inherit;
      min-height: 2.2rem;
    }
    select.subtitles {
      max-width: 10rem;
    }
    .subtitle-error {
      margin: 0 0 0.25rem;
      font-size: 0.85em;
      color: var(--shoal-warning);
    }
    .resumed {
      margin: 0 0 0.25rem;
      font-size: 0.85em;
      color: var(--shoal-muted);
    }
    .failure {
      color: var(--shoal-danger);
    }
    .failure p {
      margin: 0 0 0.5rem;
    }
    .failure p,
    .failure button {
      overflow-wrap: anywhere;
      max-width: 100%;
    }
    .playlist {
      margin: 0.25rem 0 0;
      padding-left: 1.5rem;
    }
    .playlist {
      min-width: 0;
    }
    .playlist button {
      border: none;
      background: none;
      padding: 0.15rem 0.25rem;
      text-align: left;
    }
    .playlist button[aria-current='true'] {
      font-weight: 600;
      color: var(--shoal-accent);
    }
  `,
];
