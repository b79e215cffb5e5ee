import {
  caseListQuerySchema,
  feedbackExtensionSchema,
  messagePageQuerySchema,
  noteSchema,
  staffMessageSchema,
  statusChangeSchema,
  type CaseExport,
  type StaffCaseList,
} from '@sauti/core';
import { Router } from 'express';
import type { ApiDeps } from '../deps';
import { AppError, orThrow } from '../http/errors';
import { requireRole, staffOf } from '../http/guards';
import { uuidParam } from '../http/params';
import { jsonBody } from '../http/security';
import { parseBody, parseQuery } from '../http/validate';
import { presentFile } from '../presenters/reporter';
import { presentCaseSummary, presentCaseView, presentStaffMessagePage, presentStatusChange } from '../presenters/staff-cases';
import {
  addNote,
  CASE_NOT_FOUND,
  changeCaseStatus,
  exportCase,
  extendFeedbackDeadline,
  listCases,
  postStaffMessage,
  staffMessages,
  statistics,
  viewCase,
} from '../services/staff-cases';

/**
 * /api/v1/staff/cases and /stats, behind the staff guard: the inbox, a case, its status, messages,
 * notes, feedback deadline and export. A case the caller does not hold answers 404.
 */
export function staffCaseRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { pool } = deps;
  const json = jsonBody(128 * 1024);
  const caps = { maxCount: deps.config.CASE_MESSAGES_MAX_COUNT, maxBytes: deps.config.CASE_MESSAGES_MAX_BYTES };
  const caseId = (req: Parameters<typeof uuidParam>[0]) => uuidParam(req, 'id', CASE_NOT_FOUND);

  router.get('/stats', requireRole('analyst', 'supervisor', 'admin'), async (_req, res) => {
    res.json(await statistics(pool));
  });

  // Analysts see statistics only (issue 14): an account that is nothing but an analyst has no inbox.
  router.get('/cases', requireRole('admin', 'supervisor', 'investigator', 'custodian'), async (req, res) => {
    const query = caseListQuerySchema.safeParse(req.query);
    if (!query.success) throw new AppError(400, 'Some filters are not valid; see issues.', query.error.issues.map((i) => ({ field: i.path.map(String).join('.') || '(query)', message: i.message })));
    const staff = staffOf(res);
    const page = await listCases(pool, staff, query.data);
    const body: StaffCaseList = { ...page, items: page.items.map((c) => presentCaseSummary(c, staff.userId)) };
    res.json(body);
  });

  router.get('/cases/:id', async (req, res) => {
    const staff = staffOf(res);
    res.json(presentCaseView(orThrow(await viewCase(pool, staff, caseId(req))), staff.userId));
  });

  router.post('/cases/:id/status', ...json, async (req, res) => {
    const id = caseId(req);
    res.json(presentStatusChange(orThrow(await changeCaseStatus(pool, staffOf(res), id, parseBody(statusChangeSchema, req.body)))));
  });

  router.get('/cases/:id/messages', async (req, res) => {
    const id = caseId(req);
    const query = parseQuery(messagePageQuerySchema, req.query, 'The page of messages asked for is not valid; see issues.');
    res.json(presentStaffMessagePage(orThrow(await staffMessages(pool, staffOf(res), id, query))));
  });

  router.post('/cases/:id/messages', ...json, async (req, res) => {
    const id = caseId(req);
    const posted = orThrow(await postStaffMessage(pool, staffOf(res), id, parseBody(staffMessageSchema, req.body), caps));
    res.status(posted.created ? 201 : 200).json(posted.message);
  });

  router.post('/cases/:id/notes', ...json, async (req, res) => {
    const id = caseId(req);
    const added = orThrow(await addNote(pool, staffOf(res), id, parseBody(noteSchema, req.body)));
    res.status(added.created ? 201 : 200).json(added.note);
  });

  router.post('/cases/:id/feedback-extension', ...jsonBody(32 * 1024), async (req, res) => {
    const id = uuidParam(req, 'id', 'There is no case with this id that you can see.');
    const body = parseBody(feedbackExtensionSchema, req.body);
    res.json(orThrow(await extendFeedbackDeadline(pool, staffOf(res), id, { days: body.days, reason: Buffer.from(body.reason, 'base64url') })));
  });

  /** Ciphertexts only, the holder's own key wrap included, for the holder's client to decrypt and archive. Audited. */
  router.get('/cases/:id/export', async (req, res) => {
    const staff = staffOf(res);
    const id = caseId(req);
    const { detail, files } = orThrow(await exportCase(pool, staff, id));
    const reference = detail.case.reference.replace(/[^A-Za-z0-9-]/g, '');
    const body: CaseExport = {
      format: 'sauti-case-export/1', protocol: 'SIP/1', exportedAt: new Date().toISOString(), case: presentCaseView(detail, staff.userId), files: files.map(presentFile),
    };
    res.setHeader('Content-Disposition', `attachment; filename="sauti-case-${reference}.json"`);
    res.json(body);
  });

  return router;
}
