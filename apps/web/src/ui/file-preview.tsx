import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../i18n';

/** Pages drawn at most: a preview, not a reader for a thousand-page file (the download stays for that). */
const MAX_PREVIEW_PAGES = 30;

/** The types shown in the page; anything else can only be downloaded. */
export const previewable = (type: string): boolean => /^image\/(png|jpeg|gif|webp|bmp|avif)$/.test(type) || type === 'application/pdf';

/**
 * A decrypted file shown from memory: an image through a blob: URL (revoked on close), a PDF drawn
 * page by page on canvases by pdf.js (loaded only when a PDF is opened). Nothing is written to disk.
 */
export function FilePreview({ blob, type, name, onClose }: { blob: Blob; type: string; name: string; onClose: () => void }) {
  const pages = useRef<HTMLDivElement>(null);
  const [url, setUrl] = useState<string | null>(null);
  const [pageCount, setPageCount] = useState<number | null>(null);
  const [failed, setFailed] = useState(false);
  const heading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    heading.current?.focus();
    if (type !== 'application/pdf') {
      const u = URL.createObjectURL(blob);
      setUrl(u);
      return () => URL.revokeObjectURL(u);
    }
    const signal = { cancelled: false };
    const into = pages.current!;
    void (async () => {
      try {
        const { renderPdf } = await import('./pdf-render');
        const n = await renderPdf(new Uint8Array(await blob.arrayBuffer()), into, MAX_PREVIEW_PAGES, (page, total) => t('preview.page', { page, total }), signal);
        if (!signal.cancelled) setPageCount(n);
      } catch {
        if (!signal.cancelled) setFailed(true);
      }
    })();
    return () => {
      signal.cancelled = true;
      into.replaceChildren();
    };
  }, [blob, type]);

  return (
    <section class="file-preview panel" aria-labelledby="preview-title">
      <h3 id="preview-title" ref={heading} tabIndex={-1}>
        {t('preview.title')} <bdi>{name}</bdi>
      </h3>
      <p class="hint">{t('preview.fromMemory')}</p>
      {url && <img src={url} alt={t('preview.imageAlt', { name })} />}
      {type === 'application/pdf' && pageCount === null && !failed && <p role="status">{t('preview.rendering')}</p>}
      {pageCount !== null && pageCount > MAX_PREVIEW_PAGES && <p class="notice info">{t('preview.morePages', { shown: MAX_PREVIEW_PAGES, total: pageCount })}</p>}
      {failed && <p class="notice error" role="alert">{t('preview.failed')}</p>}
      <div class="pdf-pages" ref={pages} />
      <button type="button" class="secondary" onClick={onClose}>
        {t('preview.close')}
      </button>
    </section>
  );
}
