import type { Draft } from './draft';

/**
 * Where an unsent draft survives a reload: this tab's sessionStorage, and nowhere else.
 *
 * Why here (docs/threat-model.md, "Drafts in the tab"): a reporter who presses Back or reloads
 * mid-wizard must not lose what they wrote, but a shared device must keep no trace of a report
 * beyond the tab it was written in. sessionStorage belongs to one tab: other tabs and later
 * visits do not see it, and the browser drops it when the tab closes. localStorage, IndexedDB
 * and cookies outlive the tab, so none is used. The step is kept in history.state (also per tab).
 * The draft is removed as soon as the server has the report, on Cancel, and on "Leave quickly".
 * Chosen files are not kept (a File cannot be stored without copying its bytes): after a reload
 * the reporter is told how many to choose again.
 */
const KEY = 'sauti.draft.v1';

export type StoredDraft = { draft: Omit<Draft, 'files'>; fileCount: number; files?: File[] };

/** The same draft with its files, while this page lives (the wizard can unmount on Back to the landing page). */
let memory: Draft | null = null;

const TEXT_FIELDS = ['draftId', 'contextId', 'category', 'region', 'text', 'name', 'contact'] as const;

/** True when the reporter has entered anything worth keeping (or warning about). */
export function hasContent(d: Draft): boolean {
  return Boolean(d.contextId || d.text.trim() || d.name.trim() || d.contact.trim() || Object.values(d.answers).some((a) => a.trim()) || d.files.length > 0);
}

export function saveDraft(d: Draft): void {
  memory = d;
  try {
    if (!hasContent(d)) {
      sessionStorage.removeItem(KEY);
      return;
    }
    const { files, ...rest } = d;
    sessionStorage.setItem(KEY, JSON.stringify({ draft: rest, fileCount: files.length } satisfies StoredDraft));
  } catch {
    // Storage refused (private mode quota, disabled): the draft stays in memory only, as before.
  }
}

/** The stored draft if it is well-formed; anything else is dropped rather than half-restored. */
export function loadDraft(): StoredDraft | null {
  let raw: string | null = null;
  try {
    raw = sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as { draft?: Record<string, unknown>; fileCount?: unknown };
    const d = parsed.draft;
    if (!d || typeof d !== 'object') return null;
    if (!TEXT_FIELDS.every((f) => typeof d[f] === 'string')) return null;
    if (typeof d.urgent !== 'boolean' || !Array.isArray(d.exclude) || !d.exclude.every((x) => typeof x === 'string')) return null;
    if (d.identityMode !== 'anonymous' && d.identityMode !== 'confidential') return null;
    const answers = d.answers;
    if (!answers || typeof answers !== 'object' || !Object.values(answers).every((a) => typeof a === 'string')) return null;
    const draft = d as StoredDraft['draft'];
    const files = memory?.draftId === draft.draftId ? memory.files : undefined;
    return { draft, fileCount: typeof parsed.fileCount === 'number' ? parsed.fileCount : 0, files };
  } catch {
    return null;
  }
}

export function clearDraft(): void {
  memory = null;
  try {
    sessionStorage.removeItem(KEY);
  } catch {
    // Nothing was stored.
  }
}
