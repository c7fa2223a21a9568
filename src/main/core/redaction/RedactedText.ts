declare const redactedBrand: unique symbol;

/**
 * Text that went through the redactor (or is a fixed pseudonym). Everything written into an export
 * is built from this type, so handing a raw testimony string to the bundle writer fails to compile.
 */
export type RedactedText = string & { readonly [redactedBrand]: 'RedactedText' };

/**
 * The one door into RedactedText. Call it only where the text was just produced by the redactor or
 * is a constant of ours (pseudonyms, column names); a grep for this name lists every such place.
 */
export function markRedacted(text: string): RedactedText {
  return text as RedactedText;
}
