import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';
import { ErrorBox } from '../ui/error-box';
import { Checkbox, SelectField, TextField } from '../ui/field';
import { admin, issueFor, type ContextRow, type Problem, type RuleRow, type UnitRow } from './admin-api';
import { DryRun } from './dry-run';
import { PRIORITY_LABEL } from './labels';
import { NumberField, numberOrNull } from '../ui/number-field';
import { Done, ListIssues, ProblemBox } from './problem-box';
import { useAdminCall } from './use-admin';
import { useLeaveGuard } from '../staff/leave-guard';

const PRIORITIES: RuleRow['priority'][] = ['low', 'normal', 'high', 'critical'];

/** A rule as edited: numbers as typed, so that a bad value reaches the server and comes back named. */
type Draft = Omit<RuleRow, 'acknowledgeDays' | 'feedbackDays'> & { acknowledgeDays: string; feedbackDays: string };

const draftOf = (r: RuleRow): Draft => ({ ...r, acknowledgeDays: r.acknowledgeDays === null ? '' : String(r.acknowledgeDays), feedbackDays: r.feedbackDays === null ? '' : String(r.feedbackDays) });
const ruleOf = (d: Draft): RuleRow => ({ ...d, acknowledgeDays: numberOrNull(d.acknowledgeDays), feedbackDays: numberOrNull(d.feedbackDays) });

const newRule = (isDefault: boolean): Draft => ({
  id: crypto.randomUUID(), name: '', contextId: null, channel: null, categoryId: null, regionIds: null, urgent: null, targetUnitId: null,
  priority: 'normal', acknowledgeDays: '', feedbackDays: '', isDefault,
});

/** The ordered rule set (first match wins), saved whole; the server's issues appear next to each rule. */
export function RoutingScreen() {
  const [rules, setRules] = useState<Draft[] | null>(null);
  const [contexts, setContexts] = useState<ContextRow[]>([]);
  const [units, setUnits] = useState<UnitRow[]>([]);
  const { problem, error: saveError, call } = useAdminCall();
  const [loadError, setLoadError] = useState<unknown>(null);
  const error = saveError ?? loadError;
  const [done, setDone] = useState<string | null>(null);
  // The rules as last loaded or saved: anything else is unsaved, and leaving asks first.
  const [saved, setSaved] = useState<string | null>(null);
  useLeaveGuard(rules !== null && saved !== null && JSON.stringify(rules) !== saved, t('admin.routing.unsavedLeave'));

  useEffect(() => {
    void (async () => {
      try {
        const [r, c, u] = await Promise.all([
          admin<{ rules: RuleRow[] }>('GET', '/routing-rules'), admin<{ items: ContextRow[] }>('GET', '/contexts'), admin<{ items: UnitRow[] }>('GET', '/units'),
        ]);
        if (r.ok) {
          setRules(r.value.rules.map(draftOf));
          setSaved(JSON.stringify(r.value.rules.map(draftOf)));
        }
        if (c.ok) setContexts(c.value.items);
        if (u.ok) setUnits(u.value.items);
      } catch (e) {
        setLoadError(e);
      }
    })();
  }, []);

  const update = (i: number, change: Partial<Draft>) => setRules((rs) => (rs ?? []).map((r, j) => (j === i ? { ...r, ...change } : r)));
  const move = (i: number, by: number) =>
    setRules((rs) => {
      const next = [...(rs ?? [])];
      const [moved] = next.splice(i, 1);
      next.splice(i + by, 0, moved!);
      return next;
    });
  const save = async () => {
    setDone(null);
    await call(
      () => admin<{ rules: RuleRow[] }>('PUT', '/routing-rules', { rules: (rules ?? []).map(ruleOf) }),
      (saved) => {
        setRules(saved.rules.map(draftOf));
        setSaved(JSON.stringify(saved.rules.map(draftOf)));
        setDone(t('admin.routing.saved', { n: saved.rules.length }));
      },
    );
  };

  if (rules === null) return error ? <ErrorBox error={error} /> : <p>{t('admin.loading')}</p>;
  return (
    <>
      <div class="panel">
        <h2>{t('admin.routing.title')}</h2>
        <p class="hint">{t('admin.routing.hint')}</p>
        {rules.length === 0 && <p>{t('admin.routing.none')}</p>}
        <ListIssues problem={problem} field="rules" />
        <ol class="item-list">
          {rules.map((rule, i) => (
            <RuleEditor key={rule.id} index={i} count={rules.length} rule={rule} contexts={contexts} units={units} problem={problem}
              onChange={(c) => update(i, c)} onMove={(by) => move(i, by)} onRemove={() => setRules(rules.filter((_, j) => j !== i))} />
          ))}
        </ol>
        <div class="actions">
          <button type="button" class="secondary" onClick={() => setRules([...rules.filter((r) => !r.isDefault), newRule(false), ...rules.filter((r) => r.isDefault)])}>
            {t('admin.routing.addRule')}
          </button>
          {!rules.some((r) => r.isDefault) && (
            <button type="button" class="secondary" onClick={() => setRules([...rules, { ...newRule(true), name: t('admin.routing.defaultName') }])}>
              {t('admin.routing.addDefault')}
            </button>
          )}
          <button type="button" class="primary" onClick={() => void save()}>
            {t('admin.routing.save')}
          </button>
        </div>
        <ProblemBox problem={problem} />
        <ErrorBox error={error} />
        <Done text={done} />
      </div>
      <DryRun contexts={contexts} />
    </>
  );
}

function RuleEditor(props: {
  index: number; count: number; rule: Draft; contexts: ContextRow[]; units: UnitRow[]; problem: Problem | null;
  onChange: (c: Partial<Draft>) => void; onMove: (by: number) => void; onRemove: () => void;
}) {
  const { index: i, rule, problem } = props;
  const at = (field?: string) => issueFor(problem, field ? `rules.${i}.${field}` : `rules.${i}`);
  const id = (f: string) => `rule-${i}-${f}`;
  const context = props.contexts.find((c) => c.id === rule.contextId);
  // Without a context, any context's categories and regions may be named.
  const categories = context ? context.categories : props.contexts.flatMap((c) => c.categories).filter((c, j, all) => all.findIndex((x) => x.id === c.id) === j);
  const regions = context ? context.regions : props.contexts.flatMap((c) => c.regions).filter((c, j, all) => all.findIndex((x) => x.id === c.id) === j);
  const ruleIssue = at();
  const anyIssue = problem?.issues.some((x) => x.field === `rules.${i}` || x.field.startsWith(`rules.${i}.`));
  const title = t('admin.routing.ruleTitle', { n: i + 1, name: rule.name || '…' });

  return (
    <li class={`rule ${anyIssue ? 'has-issues' : ''}`}>
      <fieldset>
        <legend>{title}</legend>
        {ruleIssue && (
          <p class="field-error" role="alert" dir="auto">
            {ruleIssue}
          </p>
        )}
        <div class="inline-fields">
          <TextField id={id('name')} label={t('admin.routing.name')} value={rule.name} onValue={(v) => props.onChange({ name: v })} error={at('name')} />
          {!rule.isDefault && (
            <>
              <SelectField id={id('context')} label={t('admin.routing.context')} value={rule.contextId ?? ''} placeholder={t('admin.any')}
                onValue={(v) => props.onChange({ contextId: v || null })} options={props.contexts.map((c) => ({ value: c.id, label: c.name }))} error={at('contextId')} />
              <SelectField id={id('channel')} label={t('admin.routing.channel')} value={rule.channel ?? ''} placeholder={t('admin.any')}
                onValue={(v) => props.onChange({ channel: (v || null) as Draft['channel'] })}
                options={[{ value: 'public', label: t('admin.contexts.public') }, { value: 'internal', label: t('admin.contexts.internal') }]} error={at('channel')} />
              <SelectField id={id('category')} label={t('admin.routing.category')} value={rule.categoryId ?? ''} placeholder={t('admin.any')}
                onValue={(v) => props.onChange({ categoryId: v || null })} options={withCurrent(categories, rule.categoryId)} error={at('categoryId')} />
              <SelectField id={id('urgent')} label={t('admin.routing.urgent')} value={rule.urgent === null ? '' : String(rule.urgent)} placeholder={t('admin.any')}
                onValue={(v) => props.onChange({ urgent: v === '' ? null : v === 'true' })}
                options={[{ value: 'true', label: t('admin.routing.urgentYes') }, { value: 'false', label: t('admin.routing.urgentNo') }]} error={at('urgent')} />
            </>
          )}
        </div>
        {!rule.isDefault && (
          <RegionChecks id={id('regions')} regions={regions} value={rule.regionIds}
            error={problem?.issues.filter((x) => x.field.startsWith(`rules.${i}.regionIds`)).map((x) => x.message).join('; ') || null}
            onValue={(regionIds) => props.onChange({ regionIds })} />
        )}
        <div class="inline-fields">
          <SelectField id={id('unit')} label={t('admin.routing.unit')} value={rule.targetUnitId ?? ''} placeholder={t('admin.routing.allRecipients')}
            onValue={(v) => props.onChange({ targetUnitId: v || null })} options={props.units.map((u) => ({ value: u.id, label: u.name }))} error={at('targetUnitId')} />
          <SelectField id={id('priority')} label={t('admin.routing.priority')} value={rule.priority} placeholder={t('admin.choose')}
            onValue={(v) => props.onChange({ priority: (v || 'normal') as Draft['priority'] })}
            options={PRIORITIES.map((p) => ({ value: p, label: t(PRIORITY_LABEL[p]!) }))} error={at('priority')} />
          <NumberField id={id('ack')} label={t('admin.routing.acknowledgeDays')} min={1} max={7} value={rule.acknowledgeDays} onValue={(v) => props.onChange({ acknowledgeDays: v })} error={at('acknowledgeDays')} />
          <NumberField id={id('feedback')} label={t('admin.routing.feedbackDays')} min={1} max={183} value={rule.feedbackDays} onValue={(v) => props.onChange({ feedbackDays: v })} error={at('feedbackDays')} />
        </div>
        <Checkbox id={id('default')} checked={rule.isDefault} onChecked={(v) => props.onChange({ isDefault: v })} hint={at('isDefault') ?? undefined}>
          {t('admin.routing.isDefault')}
        </Checkbox>
        <div class="row-actions">
          <button type="button" class="secondary" disabled={i === 0} aria-label={`${t('admin.list.up')}: ${title}`} onClick={() => props.onMove(-1)}>
            {t('admin.list.up')}
          </button>
          <button type="button" class="secondary" disabled={i === props.count - 1} aria-label={`${t('admin.list.down')}: ${title}`} onClick={() => props.onMove(1)}>
            {t('admin.list.down')}
          </button>
          <button type="button" class="secondary" aria-label={`${t('admin.list.remove')}: ${title}`} onClick={props.onRemove}>
            {t('admin.list.remove')}
          </button>
        </div>
      </fieldset>
    </li>
  );
}

/**
 * The offices or border posts a rule asks for, any of which matches; none ticked means any region.
 * An id the context no longer lists stays shown, ticked, so that its issue can be seen and fixed.
 */
function RegionChecks({ id, regions, value, onValue, error }: {
  id: string; regions: { id: string; label: string }[]; value: string[] | null; onValue: (v: string[] | null) => void; error: string | null;
}) {
  const chosen = value ?? [];
  const shown = [...regions, ...chosen.filter((r) => !regions.some((x) => x.id === r)).map((r) => ({ id: r, label: r }))];
  const toggle = (region: string, on: boolean) => {
    const next = on ? [...chosen, region] : chosen.filter((r) => r !== region);
    onValue(next.length > 0 ? next : null);
  };
  return (
    <fieldset class="region-checks" aria-describedby={[`${id}-hint`, error ? `${id}-error` : ''].filter(Boolean).join(' ')}>
      <legend>{t('admin.routing.regions')}</legend>
      <p class="hint" id={`${id}-hint`}>
        {t('admin.routing.regionsHint')}
      </p>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
      {shown.length === 0 && <p class="muted">{t('admin.routing.noRegions')}</p>}
      <div class="role-checks">
        {shown.map((r) => (
          <div class="check" key={r.id}>
            <input type="checkbox" id={`${id}-${r.id}`} checked={chosen.includes(r.id)} onChange={(e) => toggle(r.id, e.currentTarget.checked)} />
            <label for={`${id}-${r.id}`} dir="auto">
              {r.label}
            </label>
          </div>
        ))}
      </div>
    </fieldset>
  );
}

/** A rule may name an id its context no longer lists; it stays selectable so the issue can be seen and fixed. */
function withCurrent(items: { id: string; label: string }[], current: string | null): { value: string; label: string }[] {
  const options = items.map((c) => ({ value: c.id, label: c.label }));
  return current && !items.some((c) => c.id === current) ? [...options, { value: current, label: current }] : options;
}
