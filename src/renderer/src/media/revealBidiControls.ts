const BIDI_CONTROLS = /[\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/**
 * A file name is where a right-to-left override hides "photo\u202Egpj.exe" as "photoexe.jpg": show
 * every bidi control as a visible code instead, so the name reads as it really is.
 */
export function revealBidiControls(text: string): string {
  return text.replace(BIDI_CONTROLS, (control) => `[U+${control.codePointAt(0)?.toString(16).toUpperCase() ?? ''}]`);
}
