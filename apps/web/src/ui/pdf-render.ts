import { getDocument, GlobalWorkerOptions } from 'pdfjs-dist';

let port: Worker | null = null;

/**
 * pdf.js's parser runs in a module worker bundled with the app (same origin, so `worker-src 'self'`),
 * and never evaluates strings (`isEvalSupported: false`), so the strict CSP holds. The document is
 * read from memory: nothing is fetched, no wasm, no font or CMap files, no XFA scripts.
 */
export async function renderPdf(
  data: Uint8Array, into: HTMLElement, maxPages: number, label: (page: number, pages: number) => string, signal: { cancelled: boolean },
): Promise<number> {
  port ??= new Worker(new URL('pdfjs-dist/build/pdf.worker.min.mjs', import.meta.url), { type: 'module', name: 'sauti-pdf' });
  GlobalWorkerOptions.workerPort = port;
  const task = getDocument({
    data, isEvalSupported: false, useWasm: false, useWorkerFetch: false, enableXfa: false, disableFontFace: true, verbosity: 0, stopAtErrors: false,
  });
  const pdf = await task.promise;
  try {
    const pages = pdf.numPages;
    for (let n = 1; n <= Math.min(pages, maxPages) && !signal.cancelled; n++) {
      const page = await pdf.getPage(n);
      const viewport = page.getViewport({ scale: 1.5 });
      const canvas = document.createElement('canvas');
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      canvas.setAttribute('role', 'img');
      canvas.setAttribute('aria-label', label(n, pages));
      into.append(canvas);
      await page.render({ canvas, canvasContext: canvas.getContext('2d')!, viewport }).promise;
      page.cleanup();
    }
    return pages;
  } finally {
    await pdf.destroy();
  }
}
