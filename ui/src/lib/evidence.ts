// Evidence files come from the core over the `conclave:` scheme, after the
// core has re-hashed them (open_evidence); pdf.js renders PDFs offline.
import { convertFileSrc } from '@tauri-apps/api/core';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

export function evidenceUrl(meetingId: string, sha256: string): string {
  return convertFileSrc(`evidence/${meetingId}/${sha256}`, 'conclave');
}

// One worker for every document: starting pdf.js's worker costs more than
// parsing a typical evidence PDF.
let worker: pdfjs.PDFWorker | null = null;

export async function loadPdf(url: string): Promise<pdfjs.PDFDocumentProxy> {
  worker ??= new pdfjs.PDFWorker();
  const bytes = await (await fetch(url)).arrayBuffer();
  return pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    worker,
    cMapUrl: '/pdfjs/cmaps/',
    cMapPacked: true,
    standardFontDataUrl: '/pdfjs/standard_fonts/',
    wasmUrl: '/pdfjs/wasm/',
  }).promise;
}

export type PdfDocument = pdfjs.PDFDocumentProxy;
