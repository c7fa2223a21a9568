// C0 and C1 controls (ESC, BEL, CSI, ...) except tab and newline: record text comes from outside
// and must not be able to move the cursor, retitle the window or hide lines in a terminal.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

/** Makes untrusted text safe to print in a terminal; JSON output needs no such step. */
export function terminalText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '\uFFFD');
}

/** One line, for error messages and table cells. */
export function oneLine(text: string): string {
  return terminalText(text.replace(/\s*[\r\n]+\s*/g, ' ')).trim();
}
