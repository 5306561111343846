// xterm.js's DOM renderer adds <style> elements of its own (its theme, the cell
// size, the scroll bar) and takes no CSP nonce for them; under Ephemera's
// policy (lib/http/security-headers.ts) Chromium refuses them and the terminal
// draws its text black on black. While a terminal is on the page, every <style>
// made through document.createElement gets the page's nonce — at creation,
// before it is inserted, which is the only moment the browser looks. Markup
// injected into the page still cannot add a style sheet: only scripts call
// createElement, and scripts already run by nonce only.

let holders = 0;

/**
 * The nonce this document was served with, as Next put it on its scripts. Read from the document, not passed
 * from the server: after a client-side navigation the server's latest nonce is not the one the policy holds.
 */
export function documentNonce(): string | undefined {
  return document.querySelector<HTMLScriptElement>('script[nonce]')?.nonce || undefined;
}

/** Stamp the nonce on `<style>` elements from now on; call the returned function to stop. */
export function stampStyleNonce(nonce: string | undefined): () => void {
  if (!nonce) return () => undefined;
  if (holders++ === 0) {
    const create = Document.prototype.createElement;
    document.createElement = function createElement(this: Document, tagName: string, options?: ElementCreationOptions) {
      const element = create.call(this, tagName, options);
      if (element instanceof HTMLStyleElement) element.setAttribute('nonce', nonce);
      return element;
    } as Document['createElement'];
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    if (--holders === 0) {
      // The own property goes; the prototype's method shows through again.
      delete (document as { createElement?: unknown }).createElement;
    }
  };
}
