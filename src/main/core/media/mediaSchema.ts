import type { CustodyEvent } from './custodyLog.js';

/** The encrypted metadata of one attached file: chain-of-custody facts taken at intake. */
export type MediaFields = {
  testimonyId: string;
  blobId: string;
  originalName: string;
  mimeType: string;
  sizeBytes: number;
  sha256: string;
  intakeAt: string;
  custodian: string;
  /** Absent for media taken in here; set (and extended in a new version) when media arrive by transfer. */
  custodyLog?: CustodyEvent[];
};

export type MediaView = MediaFields & { id: string };

const MIME_BY_EXTENSION: Record<string, string> = {
  jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png', gif: 'image/gif', webp: 'image/webp', heic: 'image/heic', tif: 'image/tiff', tiff: 'image/tiff',
  mp3: 'audio/mpeg', m4a: 'audio/mp4', wav: 'audio/wav', ogg: 'audio/ogg', opus: 'audio/opus', amr: 'audio/amr',
  mp4: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', mkv: 'video/x-matroska',
  pdf: 'application/pdf', txt: 'text/plain', doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

export function guessMimeType(fileName: string): string {
  const extension = fileName.split('.').pop()?.toLowerCase() ?? '';
  return MIME_BY_EXTENSION[extension] ?? 'application/octet-stream';
}
