import { markRedacted, type RedactedText } from '../redaction/RedactedText.js';
import { csvLine } from './csvLine.js';

/** One CSV line of redacted cells (see csvLine): redacted in, redacted out. */
export function csvRow(cells: readonly (RedactedText | number)[]): RedactedText {
  return markRedacted(csvLine(cells));
}
