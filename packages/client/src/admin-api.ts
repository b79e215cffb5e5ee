import type {
  CategoryFactorList,
  CategoryFactorsRequest,
  ContextListAnswer,
  ContextListName,
  ContextPeopleName,
  ContextRow,
  DryRunAnswer,
  FailedJobs,
  FailedNotifications,
  InviteCreated,
  InviteRequest,
  JobRetried,
  LegalHoldAnswer,
  NotificationRetry,
  QueueList,
  RoutingRuleSet,
  StaffDisabled,
  StaffEnabled,
  StaffList,
  StaffUpdated,
  StaffUpdateRequest,
  TotpResetCreated,
  UnitList,
  UnitRequest,
  UnitSaved,
} from '@sauti/core';
import { paths } from './paths';
import type { ApiMethod } from './transport';

/**
 * The admin API (docs/staff-api.md, "Administration"), one function per call. The calls carry no
 * keys and no content, so they take any `send`: the staff transport in Node, or the web UI's
 * round trip through the crypto worker (which holds the session's CSRF token).
 */
export type AdminAnswer<T = unknown> = { status: number; body: T };
export type AdminSend = (method: ApiMethod, path: string, body?: unknown) => Promise<AdminAnswer>;

/**
 * Only the admin API: a generic admin call must not become a way to send anything anywhere. Job
 * ids are percent-encoded (scheduler ids hold ":"), but no dot segment, plain or encoded, may climb out.
 */
const ADMIN_PATH = /^\/api\/v1\/admin\/[A-Za-z0-9/_%-]+$/;
export const isAdminPath = (path: string): boolean => ADMIN_PATH.test(path) && !/%2e/i.test(path);

const A = paths.admin;

export function adminApi(send: AdminSend) {
  const call = <T>(method: ApiMethod, path: string, body?: unknown) => send(method, path, body) as Promise<AdminAnswer<T>>;
  const context = (id: string) => `${A}/contexts/${id}`;
  return {
    people: {
      list: () => call<StaffList>('GET', `${A}/staff`),
      invite: (input: InviteRequest) => call<InviteCreated>('POST', `${A}/invites`, { ...input, unitId: input.unitId ?? null }),
      update: (userId: string, change: StaffUpdateRequest) => call<StaffUpdated>('PATCH', `${A}/staff/${userId}`, change),
      disable: (userId: string) => call<StaffDisabled>('POST', `${A}/staff/${userId}/disable`),
      enable: (userId: string) => call<StaffEnabled>('POST', `${A}/staff/${userId}/enable`),
      resetTotp: (userId: string) => call<TotpResetCreated>('POST', `${A}/staff/${userId}/totp-reset`),
    },
    units: {
      list: () => call<UnitList>('GET', `${A}/units`),
      create: (unit: UnitRequest) => call<UnitSaved>('POST', `${A}/units`, unit),
      update: (unitId: string, change: UnitRequest) => call<UnitSaved>('PATCH', `${A}/units/${unitId}`, change),
    },
    contexts: {
      list: () => call<ContextListAnswer>('GET', `${A}/contexts`),
      get: (id: string) => call<ContextRow>('GET', context(id)),
      create: (input: Record<string, unknown>) => call<ContextRow>('POST', `${A}/contexts`, input),
      update: (id: string, change: Record<string, unknown>) => call<ContextRow>('PATCH', context(id), change),
      setPeople: (id: string, kind: ContextPeopleName, userIds: string[]) => call<ContextRow>('PUT', `${context(id)}/${kind}`, { userIds }),
      addItem: (id: string, list: ContextListName, item: { id: string; label: string }) => call<ContextRow>('POST', `${context(id)}/${list}`, item),
      renameItem: (id: string, list: ContextListName, itemId: string, label: string) => call<ContextRow>('PATCH', `${context(id)}/${list}/${itemId}`, { label }),
      removeItem: (id: string, list: ContextListName, itemId: string) => call<ContextRow>('DELETE', `${context(id)}/${list}/${itemId}`),
      reorder: (id: string, list: ContextListName, ids: string[]) => call<ContextRow>('PUT', `${context(id)}/${list}/order`, { ids }),
    },
    routing: {
      rules: () => call<RoutingRuleSet>('GET', `${A}/routing-rules`),
      save: (rules: unknown[]) => call<RoutingRuleSet>('PUT', `${A}/routing-rules`, { rules }),
      dryRun: (input: { contextId: string; categoryId: string; regionId: string | null; urgent: boolean }) => call<DryRunAnswer>('POST', `${A}/routing-rules/dry-run`, input),
    },
    statistics: {
      categoryFactors: () => call<CategoryFactorList>('GET', `${A}/category-factors`),
      saveCategoryFactors: (items: CategoryFactorsRequest['items']) => call<CategoryFactorList>('PUT', `${A}/category-factors`, { items }),
      setScope: (userId: string, allUnits: boolean) => call<{ id: string; allUnits: boolean }>('PUT', `${A}/staff/${userId}/statistics-scope`, { allUnits }),
    },
    cases: {
      legalHold: (caseId: string, hold: boolean) => call<LegalHoldAnswer>('PUT', `${A}/cases/${caseId}/legal-hold`, { hold }),
    },
    pipeline: {
      failedNotifications: () => call<FailedNotifications>('GET', `${A}/notifications/failed`),
      retryNotifications: () => call<NotificationRetry>('POST', `${A}/notifications/retry`),
      queues: () => call<QueueList>('GET', `${A}/queues`),
      failedJobs: (queue: string) => call<FailedJobs>('GET', `${A}/queues/${encodeURIComponent(queue)}/failed`),
      retryJob: (queue: string, jobId: string) => call<JobRetried>('POST', `${A}/queues/${encodeURIComponent(queue)}/jobs/${encodeURIComponent(jobId)}/retry`),
    },
  };
}

export type AdminApi = ReturnType<typeof adminApi>;
