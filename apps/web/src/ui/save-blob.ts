/**
 * Saves a Blob as a file: a Blob URL on a temporary <a download>, revoked right after. A download,
 * not a navigation, so the CSP allows it.
 */
export function saveBlob(blob: Blob, name: string): void {
  const a = document.createElement('a');
  const url = URL.createObjectURL(blob);
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
