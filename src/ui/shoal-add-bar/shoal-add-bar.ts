import { LitElement, css, html } from 'lit';
import { dispatch } from '../events.ts';
import { touchTargets } from '../shared-styles.ts';
import {
  canPickInPlace,
  pickFilesInPlace,
  pickFolderInPlace,
  type PickedFiles,
} from '../pick-files.ts';

/**
 * Where torrents come in: a magnet link or info-hash, a .torrent file, or files and
 * folders to share.
 */
export class ShoalAddBar extends LitElement {
  static override properties = {
    error: { type: String },
    busy: { type: Boolean },
  };

  /** A message about the last input, shown under the field. */
  declare error: string;
  declare busy: boolean;

  constructor() {
    super();
    this.error = '';
    this.busy = false;
  }

  static override styles = [
    touchTargets,
    css`
      /* One compact row where there is room: the link field, then the pickers. */
      :host {
        display: flex;
        flex-wrap: wrap;
        align-items: flex-start;
        gap: 0.5rem;
      }
      form {
        display: flex;
        gap: 0.5rem;
        flex: 1 1 20rem;
        min-width: 0;
      }
      label {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip-path: inset(50%);
      }
      input[type='text'] {
        flex: 1 1 12rem;
        min-width: 0;
        font: inherit;
        padding: 0.5rem 0.75rem;
        border: 1px solid var(--shoal-border);
        border-radius: 0.4rem;
        background: var(--shoal-surface);
        color: inherit;
      }
      input[aria-invalid='true'] {
        border-color: var(--shoal-danger);
      }
      button {
        font: inherit;
        padding: 0.5rem 0.9rem;
        border-radius: 0.4rem;
        border: 1px solid var(--shoal-border);
        background: var(--shoal-surface);
        color: inherit;
        cursor: pointer;
      }
      button.primary {
        background: var(--shoal-accent);
        border-color: var(--shoal-accent);
        color: var(--shoal-on-accent);
      }
      .error {
        color: var(--shoal-danger);
        margin: 0;
        flex-basis: 100%;
        order: 1;
      }
      .files {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      input[type='file'] {
        display: none;
      }
    `,
  ];

  private readonly onSubmit = (event: SubmitEvent): void => {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#magnet');
    if (!input) return;
    dispatch(this, 'shoal-add-text', { text: input.value });
  };

  /** Clears the field after a successful add. */
  clear(): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('#magnet');
    if (input) input.value = '';
    this.error = '';
  }

  private pick(id: string): void {
    this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.click();
  }

  /**
   * Files or a folder to share: through the File System Access pickers where the browser
   * has them (the files are then seeded where they are, not copied), else the file input.
   */
  private pickToShare(kind: 'files' | 'folder'): void {
    if (!canPickInPlace()) {
      this.pick(kind === 'files' ? 'seed-files' : 'seed-folder');
      return;
    }
    const picking = kind === 'files' ? pickFilesInPlace() : pickFolderInPlace();
    picking.then(
      (picked: PickedFiles | null) => {
        if (picked && picked.files.length > 0) dispatch(this, 'shoal-seed', picked);
      },
      (err: unknown) => {
        this.error = `Could not open those files: ${err instanceof Error ? err.message : String(err)}`;
      },
    );
  }

  private readonly onTorrentPicked = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    for (const file of input.files ?? []) dispatch(this, 'shoal-add-torrent-file', { file });
    input.value = '';
  };

  private readonly onSeedPicked = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    const files = [...(input.files ?? [])];
    if (files.length > 0) dispatch(this, 'shoal-seed', { files });
    input.value = '';
  };

  override render() {
    return html`
      <form @submit=${this.onSubmit}>
        <label for="magnet">Magnet link or info-hash</label>
        <input
          id="magnet"
          type="text"
          name="magnet"
          autocomplete="off"
          spellcheck="false"
          placeholder="Paste a magnet link or info-hash"
          aria-invalid=${this.error ? 'true' : 'false'}
          aria-describedby="add-error"
        />
        <button class="primary" type="submit" ?disabled=${this.busy}>Add</button>
      </form>
      <p id="add-error" class="error" role="alert">${this.error}</p>
      <div class="files">
        <button
          type="button"
          @click=${() => {
            this.pick('torrent-file');
          }}
        >
          Open .torrent…
        </button>
        <button
          type="button"
          @click=${() => {
            this.pickToShare('files');
          }}
        >
          Share files…
        </button>
        <button
          type="button"
          @click=${() => {
            this.pickToShare('folder');
          }}
        >
          Share a folder…
        </button>
      </div>
      <input
        id="torrent-file"
        type="file"
        accept=".torrent,application/x-bittorrent"
        multiple
        aria-label="Open .torrent file"
        @change=${this.onTorrentPicked}
      />
      <input
        id="seed-files"
        type="file"
        multiple
        aria-label="Files to share"
        @change=${this.onSeedPicked}
      />
      <input
        id="seed-folder"
        type="file"
        webkitdirectory
        aria-label="Folder to share"
        @change=${this.onSeedPicked}
      />
    `;
  }
}

customElements.define('shoal-add-bar', ShoalAddBar);

declare global {
  interface HTMLElementTagNameMap {
    'shoal-add-bar': ShoalAddBar;
  }
}
