import type { ComponentChildren } from 'preact';
import { t } from '../i18n';
import { describeError } from './errors';

export function ErrorBox({ error, children }: { error: unknown; children?: ComponentChildren }) {
  if (!error) return null;
  const { message, detail } = describeError(error);
  return (
    <div class="notice error" role="alert">
      <p>{message}</p>
      {detail && (
        <p class="detail">
          {t('error.serverSaid')} <span dir="auto">{detail}</span>
        </p>
      )}
      {children}
    </div>
  );
}
