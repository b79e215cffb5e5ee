import { useState } from 'preact/hooks';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { TextField } from '../ui/field';
import { admin, issueFor, type ContextRow, type ListItem } from './admin-api';
import { ProblemBox } from './problem-box';
import { useAdminCall } from './use-admin';

/** Categories or regions of a context: add, rename, move up or down, remove (refused while a routing rule uses one). */
export function ListEditor(props: { list: 'categories' | 'regions'; title: string; items: ListItem[]; base: string; onChange: (c: ContextRow) => void }) {
  const { list, items, base } = props;
  const [labels, setLabels] = useState<Record<string, string>>({});
  const [newId, setNewId] = useState('');
  const [newLabel, setNewLabel] = useState('');
  const { problem, error, call } = useAdminCall();

  const run = (method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<boolean> =>
    call(() => admin<ContextRow>(method, path, body), props.onChange);
  const move = (index: number, by: number) => {
    const ids = items.map((i) => i.id);
    const [moved] = ids.splice(index, 1);
    ids.splice(index + by, 0, moved!);
    void run('PUT', `${base}/${list}/order`, { ids });
  };
  const add = async (e: Event) => {
    e.preventDefault();
    if (await run('POST', `${base}/${list}`, { id: newId.trim(), label: newLabel.trim() })) {
      setNewId('');
      setNewLabel('');
    }
  };
  const prefix = `${list}-`;

  return (
    <div class="panel">
      <h3>{props.title}</h3>
      {items.length === 0 ? (
        <p>{t('admin.list.empty')}</p>
      ) : (
        <ul class="item-list">
          {items.map((item, i) => (
            <li key={item.id}>
              <code dir="ltr">{item.id}</code>
              <TextField id={`${prefix}${item.id}`} label={t('admin.list.label')} value={labels[item.id] ?? item.label} onValue={(v) => setLabels({ ...labels, [item.id]: v })} />
              <div class="row-actions">
                <button type="button" class="secondary" aria-label={`${t('admin.list.rename')}: ${item.id}`}
                  onClick={() => void run('PATCH', `${base}/${list}/${item.id}`, { label: (labels[item.id] ?? item.label).trim() })}>
                  {t('admin.list.rename')}
                </button>
                <button type="button" class="secondary" disabled={i === 0} aria-label={`${t('admin.list.up')}: ${item.id}`} onClick={() => move(i, -1)}>
                  {t('admin.list.up')}
                </button>
                <button type="button" class="secondary" disabled={i === items.length - 1} aria-label={`${t('admin.list.down')}: ${item.id}`} onClick={() => move(i, 1)}>
                  {t('admin.list.down')}
                </button>
                <button type="button" class="secondary" aria-label={`${t('admin.list.remove')}: ${item.id}`} onClick={() => void run('DELETE', `${base}/${list}/${item.id}`)}>
                  {t('admin.list.remove')}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      <ProblemBox problem={problem} />
      <ErrorBox error={error} />
      <form onSubmit={add} noValidate class="inline-fields" aria-label={t('admin.list.addTo', { list: props.title })}>
        <TextField id={`${prefix}new-id`} label={t('admin.list.id')} hint={t('admin.list.idHint')} value={newId} onValue={setNewId} error={issueFor(problem, 'id')} />
        <TextField id={`${prefix}new-label`} label={t('admin.list.label')} value={newLabel} onValue={setNewLabel} error={issueFor(problem, 'label')} />
        <button type="submit" class="primary">
          {t('admin.list.add')}
        </button>
      </form>
    </div>
  );
}
