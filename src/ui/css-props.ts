import { noChange } from 'lit';
import { Directive, PartType, directive, type ElementPart, type PartInfo } from 'lit/directive.js';

/**
 * Sets an element's inline CSS properties through the CSSOM, never through its `style`
 * attribute: the built app's Content-Security-Policy (build/csp.ts) refuses style attributes,
 * and Lit's own styleMap writes the attribute on its first render. Used on the element:
 * `<div ${cssProps({ width: '50%' })}>`.
 */
class CssProps extends Directive {
  private previous = new Set<string>();

  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('cssProps goes on an element');
  }

  /** Renders nothing itself: `update` writes the properties. */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the directive's argument type
  render(_props: Readonly<Record<string, string>>): typeof noChange {
    return noChange;
  }

  override update(part: ElementPart, [props]: [Readonly<Record<string, string>>]): typeof noChange {
    const style = (part.element as HTMLElement).style;
    for (const name of this.previous) if (!(name in props)) style.removeProperty(name);
    for (const [name, value] of Object.entries(props)) style.setProperty(name, value);
    this.previous = new Set(Object.keys(props));
    return noChange;
  }
}

export const cssProps = directive(CssProps);
