import { useEffect } from 'preact/hooks';

/**
 * "You have unsaved changes": a screen with unsaved work registers a question here; moving to another
 * staff screen (navigation, Back) or leaving the page asks it first. One screen is shown at a time,
 * so one guard is enough.
 */
let question: string | null = null;

/** True when nothing is unsaved, or the person chose to leave anyway (the work is then dropped). */
export function mayLeave(): boolean {
  if (question === null) return true;
  if (!confirm(question)) return false;
  question = null;
  return true;
}

const onBeforeUnload = (e: BeforeUnloadEvent) => {
  if (question !== null) e.preventDefault();
};

/** While `dirty`, leaving asks `text`; the guard goes when the screen saves or closes. */
export function useLeaveGuard(dirty: boolean, text: string): void {
  useEffect(() => {
    if (!dirty) return;
    question = text;
    addEventListener('beforeunload', onBeforeUnload);
    return () => {
      if (question === text) question = null;
      removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [dirty, text]);
}
