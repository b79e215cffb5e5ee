import type { Db } from '@sauti/db';
import type { Transporter } from 'nodemailer';

/** What every mailer of the worker needs: the database, the SMTP transport and where links point. */
export type MailDeps = { pool: Db; mailer: Transporter; from: string; publicUrl: string };

/** The error's code only: an SMTP message can quote an address. */
export function mailErrorCode(error: unknown): string {
  return (error as { code?: string }).code ?? (error as Error).name ?? 'error';
}
