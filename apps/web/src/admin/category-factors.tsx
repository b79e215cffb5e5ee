import { useEffect, useState } from 'preact/hooks';
import type { CategoryFactorList, CategoryFactorRow } from '@sauti/core';
import { t, type MessageKey } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { SubmitRow } from '../ui/submit-row';
import { admin } from './admin-api';
import { Done, ProblemBox } from './problem-box';
import { useAdminCall } from './use-admin';

/** Each category of each context and the Revised Arusha Declaration factors it concerns (integrity monitoring). */
export function CategoryFactorsScreen() {
  const [list, setList] = useState<CategoryFactorList | null>(null);
  const [rows, setRows] = useState<CategoryFactorRow[]>([]);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const { problem, error, busy, call } = useAdminCall();

  useEffect(() => {
    admin<CategoryFactorList>('GET', '/category-factors')
      .then((o) => {
        if (o.ok) {
          setList(o.value);
          setRows(o.value.items);
        }
      })
      .catch(setLoadError);
  }, []);

  const toggle = (i: number, factor: string, on: boolean) =>
    setRows(rows.map((r, j) => (j === i ? { ...r, factors: on ? [...r.factors, factor].sort() : r.factors.filter((f) => f !== factor) } : r)));

  const save = (e: Event) => {
    e.preventDefault();
    setDone(null);
    void call(
      () => admin<CategoryFactorList>('PUT', '/category-factors', { items: rows.map(({ contextId, categoryId, factors }) => ({ contextId, categoryId, factors })) }),
      (saved) => {
        setList(saved);
        setRows(saved.items);
        setDone(t('admin.saved'));
      },
    );
  };

  return (
    <div class="panel">
      <h2>{t('monitoring.admin.title')}</h2>
      <p class="muted">{t('monitoring.admin.intro')}</p>
      <ErrorBox error={loadError ?? error} />
      <ProblemBox problem={problem} />
      <Done text={done} />
      {list === null ? (
        <p>{t('admin.loading')}</p>
      ) : rows.length === 0 ? (
        <p>{t('monitoring.admin.none')}</p>
      ) : (
        <form onSubmit={save} noValidate>
          {rows.map((r, i) => (
            <fieldset key={`${r.contextId}/${r.categoryId}`} class="factor-set">
              <legend>
                <span dir="auto">{r.categoryLabel}</span> <span class="muted">· <span dir="auto">{r.contextName}</span></span>
              </legend>
              <div class="factor-grid">
                {list.factors.map((f) => {
                  const id = `factor-${i}-${f.id}`;
                  return (
                    <div class="check" key={f.id}>
                      <input type="checkbox" id={id} checked={r.factors.includes(f.id)} onChange={(e) => toggle(i, f.id, e.currentTarget.checked)} />
                      <label for={id}>{t(`monitoring.factor.${f.id}` as MessageKey)}</label>
                    </div>
                  );
                })}
              </div>
            </fieldset>
          ))}
          <SubmitRow label={t('admin.save')} disabled={busy} />
        </form>
      )}
    </div>
  );
}
