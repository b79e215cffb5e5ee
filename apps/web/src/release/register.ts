// Installs the service worker that checks every later visit against the signed release.
export function registerReleaseGuard(): void {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  // updateViaCache 'none': the browser always asks the server for /sw.js, so a replaced script is
  // seen (and judged by the worker in charge) at once rather than after a day.
  navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch(() => undefined);
}

/** True when this page was served by the release guard (so its files were checked). */
export function checkedByReleaseGuard(): boolean {
  return 'serviceWorker' in navigator && navigator.serviceWorker.controller !== null;
}
