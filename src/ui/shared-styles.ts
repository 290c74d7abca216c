import { css } from 'lit';

/** On touch screens and narrow windows, every control is a 44 px target (WCAG 2.5.5). */
export const touchTargets = css`
  @media (pointer: coarse), (max-width: 40rem) {
    button,
    input,
    select {
      min-height: 2.75rem;
    }
    button {
      min-width: 2.75rem;
    }
  }
`;

/** Buttons and progress bars look the same in every component. */
export const controls = css`
  ${touchTargets}
  button {
    font: inherit;
    padding: 0.35rem 0.75rem;
    border-radius: 0.4rem;
    border: 1px solid var(--shoal-border);
    background: var(--shoal-surface);
    color: inherit;
    cursor: pointer;
  }
  button:disabled {
    opacity: 0.5;
    cursor: default;
  }
  button.danger {
    color: var(--shoal-danger);
  }
  .bar {
    height: 0.4rem;
    border-radius: 0.2rem;
    background: var(--shoal-track);
    overflow: hidden;
  }
  /* The fill is scaled, not resized: a transition of its transform runs on the compositor,
     where one of its width laid out and painted the page every frame while a download
     moved it (four updates a second). */
  .bar > div {
    height: 100%;
    background: var(--shoal-accent);
    transform-origin: left center;
    transition: transform 0.25s linear;
  }
  .muted {
    color: var(--shoal-muted);
  }
  /* A name used as a label: one line, cut with an ellipsis (the full name is in its title). */
  .truncate {
    display: block;
    min-width: 0;
    max-width: 100%;
    overflow: hidden;
    white-space: nowrap;
    text-overflow: ellipsis;
  }
`;

/** A text field (`input.text`, `textarea.text`) looks the same in every component. */
export const textFields = css`
  input.text,
  textarea.text {
    box-sizing: border-box;
    width: 100%;
    font: inherit;
    padding: 0.4rem;
    border: 1px solid var(--shoal-border);
    border-radius: 0.4rem;
    background: var(--shoal-bg);
    color: inherit;
  }
`;
