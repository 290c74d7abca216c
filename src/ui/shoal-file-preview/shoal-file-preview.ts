import { LitElement, css, html, nothing } from 'lit';
import { decodeText, isWhole, readStart } from '../read-start.ts';
import { formatBytes } from '../format.ts';
import { controls } from '../shared-styles.ts';
import { previewKind } from './preview-kind.ts';

/** A text preview shows this much of the start of the file: a screenful or many. */
export const TEXT_PREVIEW_BYTES = 64 * 1024;

type TextState =
  | { readonly kind: 'loading' }
  | {
      readonly kind: 'text';
      readonly text: string;
      readonly totalBytes: number | null;
      readonly whole: boolean;
    }
  | { readonly kind: 'binary' }
  | { readonly kind: 'error'; readonly message: string };

/**
 * One file of a torrent shown in the page, from its /stream/ address (so it streams while it
 * downloads): an image inline, a PDF in the browser's viewer (an <iframe>: the policy's
 * object-src 'none' refuses <embed>, and frames from our origin are allowed), with a link to
 * open it in a tab of its own, or the first 64 KiB of a text file, as text (Lit writes it as
 * a text node: a file of HTML shows its markup, never runs it). It is made only when the user
 * asks to preview that file.
 */
export class ShoalFilePreview extends LitElement {
  static override properties = {
    name: { type: String },
    src: { type: String },
    textState: { state: true },
    imageFailed: { state: true },
  };

  /** The file's name. */
  declare name: string;
  /** Its /stream/ address. */
  declare src: string;
  declare textState: TextState;
  declare imageFailed: boolean;
  /** The text read last, so that an answer for a file no longer shown is dropped. */
  private reading = '';

  constructor() {
    super();
    this.name = '';
    this.src = '';
    this.textState = { kind: 'loading' };
    this.imageFailed = false;
  }

  static override styles = [
    controls,
    css`
      :host {
        display: block;
        margin: 0.75rem 0;
      }
      .head {
        display: flex;
        align-items: center;
        gap: 0.5rem;
        margin-bottom: 0.4rem;
      }
      .head h3 {
        flex: 1;
        margin: 0;
        font-size: 1rem;
      }
      img {
        display: block;
        max-width: 100%;
        max-height: 70vh;
        margin: 0 auto;
      }
      iframe {
        display: block;
        width: 100%;
        height: 70vh;
        border: 1px solid var(--shoal-border);
        border-radius: 0.4rem;
        background: #fff;
      }
      pre {
        margin: 0;
        max-height: 60vh;
        overflow: auto;
        padding: 0.5rem;
        border: 1px solid var(--shoal-border);
        border-radius: 0.4rem;
        background: var(--shoal-bg);
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        font-size: 0.85em;
      }
      p {
        overflow-wrap: anywhere;
      }
      a {
        color: var(--shoal-accent);
      }
      .problem {
        color: var(--shoal-danger);
      }
    `,
  ];

  override willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('src')) {
      this.imageFailed = false;
      if (previewKind(this.name) === 'text') void this.readText(this.src);
    }
  }

  private async readText(src: string): Promise<void> {
    this.reading = src;
    this.textState = { kind: 'loading' };
    let state: TextState;
    try {
      const start = await readStart(src, TEXT_PREVIEW_BYTES);
      // A NUL byte is in no text file but in nearly every binary one.
      state = start.bytes.includes(0)
        ? { kind: 'binary' }
        : {
            kind: 'text',
            text: decodeText(start.bytes, isWhole(start)),
            totalBytes: start.totalBytes,
            whole: isWhole(start),
          };
    } catch (err) {
      state = { kind: 'error', message: err instanceof Error ? err.message : String(err) };
    }
    if (this.reading === src) this.textState = state;
  }

  private renderText() {
    const state = this.textState;
    switch (state.kind) {
      case 'loading':
        return html`<p class="muted" role="status">Reading "${this.name}"…</p>`;
      case 'binary':
        return html`<p role="status">
          "${this.name}" does not look like text: save it to open it.
        </p>`;
      case 'error':
        return html`<p class="problem" role="alert">
          "${this.name}" could not be read: ${state.message}
        </p>`;
      case 'text':
        if (state.whole && state.text === '') {
          return html`<p role="status">"${this.name}" is empty.</p>`;
        }
        return html`${
            state.whole
              ? nothing
              : html`<p class="muted cut">
                  The first
                  ${formatBytes(TEXT_PREVIEW_BYTES)}${
                    state.totalBytes === null ? '' : ` of ${formatBytes(state.totalBytes)}`
                  }:
                </p>`
          }
          <pre tabindex="0" aria-label="Text of ${this.name}">${state.text}</pre>`;
    }
  }

  private renderBody() {
    switch (previewKind(this.name)) {
      case 'image':
        return this.imageFailed
          ? html`<p role="alert">
              This browser cannot show the image "${this.name}": save it to open it.
            </p>`
          : html`<img
              src=${this.src}
              alt=${this.name}
              @error=${() => {
                this.imageFailed = true;
              }}
            />`;
      case 'pdf':
        return html`${
            navigator.pdfViewerEnabled
              ? html`<iframe src=${this.src} title="PDF: ${this.name}"></iframe>`
              : html`<p>This browser does not show PDFs inside a page.</p>`
          }
          <p>
            <a href=${this.src} target="_blank" rel="noopener noreferrer"
              >Open "${this.name}" in a new tab</a
            >
          </p>`;
      case 'text':
        return this.renderText();
      case null:
        return html`<p>"${this.name}" cannot be previewed: save it to open it.</p>`;
    }
  }

  override render() {
    return html`<section aria-label="Preview of ${this.name}">
      <div class="head">
        <h3 class="truncate" title=${this.name}>${this.name}</h3>
        <button
          aria-label="Close the preview"
          @click=${() => {
            this.dispatchEvent(
              new CustomEvent('shoal-preview-close', { bubbles: true, composed: true }),
            );
          }}
        >
          Close
        </button>
      </div>
      ${this.renderBody()}
    </section>`;
  }
}

customElements.define('shoal-file-preview', ShoalFilePreview);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-file-preview': ShoalFilePreview;
  }
  interface HTMLElementEventMap {
    /** The user closed the preview. */
    'shoal-preview-close': CustomEvent<undefined>;
  }
}
