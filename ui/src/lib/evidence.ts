// Evidence files come from the core over the `conclave:` scheme, after the
// core has re-hashed them (open_evidence); pdf.js renders PDFs offline.
import { convertFileSrc } from '@tauri-apps/api/core';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import workerUrl from 'pdfjs-dist/legacy/build/pdf.worker.min.mjs?url';

pdfjs.GlobalWorkerOptions.workerSrc = workerUrl;

export type PdfDocument = pdfjs.PDFDocumentProxy;
export type PdfPage = pdfjs.PDFPageProxy;
export type RenderTask = pdfjs.RenderTask;

export function evidenceUrl(meetingId: string, sha256: string): string {
  return convertFileSrc(`evidence/${meetingId}/${sha256}`, 'conclave');
}

// One worker for every document: starting pdf.js's worker costs more than
// parsing a typical evidence PDF.
let worker: pdfjs.PDFWorker | null = null;

function openPdf(data: Uint8Array): Promise<PdfDocument> {
  worker ??= new pdfjs.PDFWorker();
  return pdfjs.getDocument({
    data,
    isEvalSupported: false,
    worker,
    cMapUrl: '/pdfjs/cmaps/',
    cMapPacked: true,
    standardFontDataUrl: '/pdfjs/standard_fonts/',
    wasmUrl: '/pdfjs/wasm/',
  }).promise;
}

/**
 * A PDF read range by range (a member's terminal: the first page of a large
 * scan shows before the rest arrives). The server re-hashed the file before
 * serving any of it.
 */
export function loadPdfByRanges(url: string): Promise<PdfDocument> {
  worker ??= new pdfjs.PDFWorker();
  return pdfjs.getDocument({
    url,
    isEvalSupported: false,
    worker,
    rangeChunkSize: 256 * 1024,
    disableAutoFetch: true,
    disableStream: true,
    cMapUrl: '/pdfjs/cmaps/',
    cMapPacked: true,
    standardFontDataUrl: '/pdfjs/standard_fonts/',
    wasmUrl: '/pdfjs/wasm/',
  }).promise;
}

// The whole file, fetched right after the core has verified it: a document
// read range by range later on could be a file changed since.
export async function loadPdf(url: string): Promise<PdfDocument> {
  const bytes = await (await fetch(url)).arrayBuffer();
  return openPdf(new Uint8Array(bytes));
}

/**
 * The text of `page`, for finding words. (pdf.js's getTextContent reads its
 * stream with `for await`, which WebKitGTK's ReadableStream does not allow.)
 */
export async function pageText(page: PdfPage): Promise<string> {
  const reader = page.streamTextContent().getReader();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    for (const item of (value as { items: Array<{ str?: string }> }).items) text += item.str ?? '';
  }
}

/** A one-page PDF with a line of text in Helvetica (a standard font). */
function tinyPdf(): Uint8Array {
  const text = 'BT /F1 12 Tf 10 40 Td (Conclave 0123456789) Tj ET';
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((o, i) => {
    const at = pdf.length;
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
    return at;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  pdf += offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
}

/**
 * Starts pdf.js's worker and has it open and draw a one-page document while
 * the app is idle, so that the first evidence PDF does not wait for the
 * worker to start nor for pdf.js's code to be compiled (the first PDF took
 * 0.3-0.9 s longer than the next ones; now well under 0.1 s).
 */
export async function warmUpPdf(): Promise<void> {
  const doc = await openPdf(tinyPdf());
  try {
    const page = await doc.getPage(1);
    await renderPage(page, document.createElement('canvas'), page.getViewport({ scale: 1 })).promise;
  } finally {
    await doc.destroy();
  }
}

// A canvas larger than this (4096 × 4096 pixels, 64 MiB) is drawn at a lower
// backing resolution: at high zoom on a HiDPI screen it would be hundreds of
// MiB and slow to draw, or fail to allocate.
const MAX_CANVAS_PIXELS = 4096 * 4096;

/** Canvas pixels per CSS pixel for a page of `cssPixels` CSS pixels. */
function canvasRatio(cssPixels: number): number {
  const ratio = window.devicePixelRatio > 0 ? window.devicePixelRatio : 1;
  return cssPixels * ratio * ratio > MAX_CANVAS_PIXELS ? Math.sqrt(MAX_CANVAS_PIXELS / cssPixels) : ratio;
}

// pdf.js draws a page in slices of 15 ms, and starts each one from an
// animation frame. Where painting is slow (WebKitGTK compositing in software,
// without a GPU) every frame between two slices costs 100-300 ms: a plain
// text page took 0.3-1 s. So the slices follow each other directly, as
// pdf.js does when it prints, until they have kept the main thread busy for
// MAX_BLOCK_MS in a row; a page that heavy is drawn one slice per frame, as
// before, so that the window stays responsive. `_useRequestAnimationFrame`
// is pdf.js-internal: should a later version rename it, pages are simply
// drawn frame by frame again.
const MAX_BLOCK_MS = 200;

/** Starts drawing `page` at `viewport` (CSS pixels) into `canvas`. */
export function renderPage(page: PdfPage, canvas: HTMLCanvasElement, viewport: pdfjs.PageViewport): RenderTask {
  const ratio = canvasRatio(viewport.width * viewport.height);
  canvas.width = Math.floor(viewport.width * ratio);
  canvas.height = Math.floor(viewport.height * ratio);
  canvas.style.width = `${Math.floor(viewport.width)}px`;
  canvas.style.height = `${Math.floor(viewport.height)}px`;
  const task = page.render({
    canvas,
    viewport,
    transform: ratio !== 1 ? [ratio, 0, 0, ratio, 0, 0] : undefined,
  });
  const internal = (task as unknown as { _internalRenderTask?: { _useRequestAnimationFrame?: unknown } })
    ._internalRenderTask;
  if (internal && typeof internal._useRequestAnimationFrame === 'boolean') {
    internal._useRequestAnimationFrame = false;
    // Slices run back to back until the timer set at the first one fires.
    let busy = false;
    let since = 0;
    task.onContinue = (next: () => void) => {
      const now = performance.now();
      if (!busy) {
        busy = true;
        since = now;
        setTimeout(() => (busy = false), 0);
      } else if (now - since > MAX_BLOCK_MS) {
        internal._useRequestAnimationFrame = true;
      }
      next();
    };
  }
  return task;
}
