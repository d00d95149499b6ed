// Where the reading screens (candidate page, comparison, evidence viewer) get
// their data: the window's core over Tauri, or — on a member's terminal — the
// meeting-room server over HTTPS (terminal/api.ts sets that one). The screens
// are the same components either way.
import type { CandidateDetail } from '../bindings/CandidateDetail';
import { backend } from './backend';
import { evidenceUrl, loadPdf, type PdfDocument } from './evidence';

export interface Reader {
  getCandidate(meetingId: string, candidate: string): Promise<CandidateDetail>;
  /** Resolves to the URL to show the file from, once it may be shown. */
  openEvidence(meetingId: string, sha256: string): Promise<string>;
  loadPdf(url: string): Promise<PdfDocument>;
  /** The chair may present from here (the window only). */
  canPresent: boolean;
}

const windowReader: Reader = {
  getCandidate: (id, candidate) => backend.getCandidate(id, candidate),
  openEvidence: async (id, sha256) => {
    await backend.openEvidence(id, sha256);
    return evidenceUrl(id, sha256);
  },
  loadPdf,
  canPresent: true,
};

let current: Reader = windowReader;

export function setReader(r: Reader) {
  current = r;
}

export const reader: Reader = {
  getCandidate: (id, c) => current.getCandidate(id, c),
  openEvidence: (id, sha) => current.openEvidence(id, sha),
  loadPdf: (url) => current.loadPdf(url),
  get canPresent() {
    return current.canPresent;
  },
};
