import { decryptFileMeta, encryptedFileSize, encryptFileMeta, fileKeygen, fromB64, randomUuid, toB64, type FileMeta } from '@sauti/crypto';
import type { CaseFile, FileEntry, FileList } from '@sauti/core';
import { paths } from './paths';
import type { Transport } from './transport';

/** docs/protocol.md §7, the same for both sides: a reporter's own case, or a case a staff member holds. */
export type FileScope = { kind: 'reporter' } | { kind: 'staff'; caseId: string };

const listPath = (s: FileScope) => (s.kind === 'reporter' ? paths.reporter.files : paths.staff.caseFiles(s.caseId));

export function fileContentPath(s: FileScope, fileId: string): string {
  return s.kind === 'reporter' ? paths.reporter.fileContent(fileId) : paths.staff.caseFileContent(s.caseId, fileId);
}

/** The staff list of a case's files (a reporter's come with its case view). */
export async function listCaseFiles(t: Transport, caseId: string): Promise<FileEntry[]> {
  return (await t.send<FileList>('GET', paths.staff.caseFiles(caseId), undefined, [200], 'files')).files;
}

/** Opens each file's metadata; one that cannot be opened is counted as damaged, never hidden. */
export function openFileList(caseKey: Uint8Array, caseId: string, entries: FileEntry[]): { files: CaseFile[]; damagedFiles: number } {
  const files: CaseFile[] = [];
  let damagedFiles = 0;
  for (const f of entries) {
    try {
      // decryptFileMeta checks the §9 shape of the metadata (name, type, size, a 32-byte key).
      const meta = decryptFileMeta(caseKey, caseId, f.id, fromB64(f.meta));
      files.push({ id: f.id, name: meta.name, type: meta.type, size: meta.size, author: f.author, createdAt: f.createdAt });
    } catch {
      damagedFiles++;
    }
  }
  return { files, damagedFiles };
}

/** The metadata (with the file key) of one listed file, to download it. */
export function openFileMeta(caseKey: Uint8Array, caseId: string, entry: FileEntry): FileMeta {
  return decryptFileMeta(caseKey, caseId, entry.id, fromB64(entry.meta));
}

export type RegisteredFile = { fileId: string; key: Uint8Array; size: number; contentPath: string };

/** Draws a file key, seals the metadata under caseKey and registers the file; the stream follows with PUT contentPath. */
export async function registerFile(
  t: Transport,
  scope: FileScope,
  caseKey: Uint8Array,
  caseId: string,
  file: { name: string; type: string; size: number },
): Promise<RegisteredFile> {
  const fileId = randomUuid();
  const key = fileKeygen();
  const meta = encryptFileMeta(caseKey, caseId, fileId, { name: file.name, type: file.type, size: file.size, key });
  const size = encryptedFileSize(file.size);
  await t.send('POST', listPath(scope), { id: fileId, meta: toB64(meta), size }, [200, 201], 'file registration');
  return { fileId, key, size, contentPath: fileContentPath(scope, fileId) };
}
