import { useEffect, useState } from 'preact/hooks';
import { t, type MessageKey } from '../i18n';
import { Checkbox } from './field';
import { isLeaving } from './leave-quickly';
import { saveBlob } from './save-blob';

/** Until `active` is false, the browser asks before the tab is closed or reloaded. */
export function useWarnBeforeLeaving(active: boolean): void {
  useEffect(() => {
    if (!active) return undefined;
    const warn = (e: BeforeUnloadEvent) => {
      if (!isLeaving()) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [active]);
}

/**
 * Copy, download as text and print, for a secret shown once (the reporter's receipt, a staff
 * recovery key), with a status line that says whether the copy worked.
 */
export function KeepSecretActions({ copyText, fileText, fileName, copiedMessage }: { copyText: string; fileText: () => string; fileName: string; copiedMessage: MessageKey }) {
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(copyText);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  };
  return (
    <>
      <div class="actions no-print">
        <button type="button" class="secondary" onClick={copy}>
          {t('receipt.copy')}
        </button>
        <button type="button" class="secondary" onClick={() => saveBlob(new Blob([fileText()], { type: 'text/plain;charset=utf-8' }), fileName)}>
          {t('receipt.download')}
        </button>
        <button type="button" class="secondary" onClick={() => window.print()}>
          {t('receipt.print')}
        </button>
      </div>
      <p role="status" class="no-print">
        {copied === 'yes' ? t(copiedMessage) : copied === 'failed' ? t('receipt.copyFailed') : ''}
      </p>
    </>
  );
}

/**
 * "I have saved it", then the way on: the button stays disabled, with a hint saying why, until the
 * box is ticked, and until then the browser warns before the tab is closed or reloaded.
 */
export function SavedGate(props: { id: string; confirm: MessageKey; button: MessageKey; hint: MessageKey; hintId: string; onDone: () => void }) {
  const [saved, setSaved] = useState(false);
  useWarnBeforeLeaving(!saved);
  return (
    <>
      <Checkbox id={props.id} checked={saved} onChecked={setSaved}>
        {t(props.confirm)}
      </Checkbox>
      <div class="actions">
        <button type="button" class="primary" disabled={!saved} aria-describedby={saved ? undefined : props.hintId} onClick={props.onDone}>
          {t(props.button)}
        </button>
      </div>
      {!saved && (
        <p class="hint" id={props.hintId}>
          {t(props.hint)}
        </p>
      )}
    </>
  );
}
