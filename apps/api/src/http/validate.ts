import { toFieldIssues } from '@sauti/core';
import type { z } from 'zod';
import { AppError } from './errors';

/** Parses with a zod schema; a failure is a 400 that names every bad field. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  if (body === undefined) throw new AppError(400, 'The request needs a JSON body.');
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new AppError(400, 'Some fields are missing or invalid; see issues.', toFieldIssues(result.error));
  }
  return result.data;
}

/** Parses a query string with a zod schema; a failure is a 400 that names every bad parameter. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown, what = 'Some query parameters are not valid; see issues.'): z.infer<S> {
  const result = schema.safeParse(query);
  if (!result.success) throw new AppError(400, what, toFieldIssues(result.error));
  return result.data;
}
