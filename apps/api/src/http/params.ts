import { isUuidV4 } from '@sauti/core';
import type { Request } from 'express';
import { AppError } from './errors';

/** A malformed id names nothing the caller may see: the same 404 as an id that does not exist. */
export function uuidParam(req: Request, name: string, notFound: string): string {
  const value = req.params[name];
  if (typeof value !== 'string' || !isUuidV4(value)) throw new AppError(404, notFound);
  return value;
}
