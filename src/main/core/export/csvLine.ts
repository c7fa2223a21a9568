/**
 * One CSV line (RFC 4180, every cell quoted). A cell that a spreadsheet would run as a formula
 * (starting with = + - @ or a control character) gets a leading apostrophe.
 */
export function csvLine(cells: readonly (string | number)[]): string {
  const line = cells
    .map((cell) => {
      const text = String(cell);
      const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
      return `"${safe.replace(/"/g, '""')}"`;
    })
    .join(',');
  return `${line}\r\n`;
}
