// Functions that run inside a page, shared by the drivers that are not Playwright (puppeteer
// for Firefox, classic WebDriver for WebKitGTK): each is sent as its source text, so it must
// be self-contained (no imports, no outer variables). They read the page as a user reads it:
// the text the app shows, found through its components' shadow roots.

/**
 * What a user reads in the elements matching `selector`, found through every shadow root,
 * each with the text of its own shadow root; "" when none matches.
 */
export function shownTextIn(selector: string): string {
  const all = (root: ParentNode): Element[] => {
    const found = [...root.querySelectorAll(selector)];
    for (const element of root.querySelectorAll('*'))
      if (element.shadowRoot) found.push(...all(element.shadowRoot));
    return found;
  };
  const text = (node: Node): string =>
    node instanceof Element && node.shadowRoot
      ? text(node.shadowRoot)
      : node.nodeType === Node.TEXT_NODE
        ? (node.textContent ?? '')
        : [...node.childNodes].map(text).join('');
  return all(document)
    .map((element) => text(element).replace(/\s+/g, ' ').trim())
    .join(' ');
}

/** The state column ("Seeding", "Downloading", …) of the torrent row named `name`, or null. */
export function rowStateIn(name: string): string | null {
  const all = (root: ParentNode, selector: string): Element[] => {
    const found = [...root.querySelectorAll(selector)];
    for (const element of root.querySelectorAll('*')) {
      if (element.shadowRoot) found.push(...all(element.shadowRoot, selector));
    }
    return found;
  };
  for (const host of all(document, 'shoal-torrent-row')) {
    const row = host.shadowRoot ?? host;
    const named = all(row, 'button.name').some((b) => b.textContent.trim() === name);
    if (named) return all(row, '.state')[0]?.textContent.trim() ?? null;
  }
  return null;
}

/** SHA-256 (hex) of what `fetch(url)` in the page gets, and its status and length. */
export async function fetchDigestIn(
  url: string,
): Promise<{ status: number; lengthBytes: number; sha256: string } | { error: string }> {
  try {
    const response = await fetch(url);
    const bytes = await response.arrayBuffer();
    const digest = await crypto.subtle.digest('SHA-256', bytes);
    return {
      status: response.status,
      lengthBytes: bytes.byteLength,
      sha256: [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join(''),
    };
  } catch (err) {
    return { error: String(err) };
  }
}
