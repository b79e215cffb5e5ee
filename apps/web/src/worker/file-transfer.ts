import { encryptedFileSize, FILE_CHUNK, FILE_HEADER, FileDecryptor, FileEncryptor } from '@sauti/crypto';
import { OpError, httpError } from './op-error';
import type { Progress } from '../crypto/protocol';

/** §7: encrypts a File chunk by chunk into the exact stream the server stores. */
export async function encryptToBlob(
  file: Blob,
  caseId: string,
  fileId: string,
  key: Uint8Array,
  signal: AbortSignal,
  progress: (p: Progress) => void,
): Promise<Blob> {
  const total = encryptedFileSize(file.size);
  const enc = new FileEncryptor(caseId, fileId, key, file.size);
  const parts: BlobPart[] = [enc.header as Uint8Array<ArrayBuffer>];
  let done = FILE_HEADER;
  for (let offset = 0; !enc.done; offset += FILE_CHUNK) {
    if (signal.aborted) throw new OpError('cancelled');
    const plain = new Uint8Array(await file.slice(offset, Math.min(offset + FILE_CHUNK, file.size)).arrayBuffer());
    const chunk = enc.push(plain);
    parts.push(chunk as Uint8Array<ArrayBuffer>);
    done += chunk.length;
    progress({ stage: 'encrypt', done, total });
  }
  return new Blob(parts, { type: 'application/octet-stream' });
}

/** XMLHttpRequest rather than fetch: it reports upload progress and can be aborted mid-body. */
export function putWithProgress(
  url: string,
  headers: Record<string, string>,
  body: Blob,
  signal: AbortSignal,
  progress: (p: Progress) => void,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => progress({ stage: 'upload', done: e.loaded, total: body.size });
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else {
        let parsed: unknown = null;
        try {
          parsed = JSON.parse(xhr.responseText);
        } catch {
          // not JSON: no server message to show
        }
        reject(httpError(xhr.status, parsed));
      }
    };
    xhr.onerror = () => reject(new OpError('network'));
    xhr.onabort = () => reject(new OpError('cancelled'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    if (signal.aborted) xhr.abort();
    else xhr.send(body);
  });
}

/** Downloads and decrypts a stream, refusing a truncated or altered file (never a partial one). */
export async function downloadAndDecrypt(
  url: string,
  headers: Record<string, string>,
  ids: { caseId: string; fileId: string },
  key: Uint8Array,
  size: number,
  type: string,
  signal: AbortSignal,
  progress: (p: Progress) => void,
): Promise<Blob> {
  const response = await fetch(url, { headers, signal });
  if (!response.ok || !response.body) {
    let body: unknown = null;
    try {
      body = await response.json();
    } catch {
      // no JSON message
    }
    throw httpError(response.status, body);
  }
  const dec = new FileDecryptor(ids.caseId, ids.fileId, key, size);
  const parts: BlobPart[] = [];
  const reader = response.body.getReader();
  let done = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    done += next.value.length;
    for (const p of dec.push(next.value)) parts.push(p as Uint8Array<ArrayBuffer>);
    progress({ stage: 'download', done, total: size });
  }
  dec.finish();
  return new Blob(parts, { type: type || 'application/octet-stream' });
}
