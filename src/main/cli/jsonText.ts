/**
 * A JSON document for a file or a pipe (a redaction plan to edit). JSON.stringify leaves DEL and
 * the C1 controls raw; they are escaped here so the text is terminal-safe and still the same JSON.
 */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/[\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}
