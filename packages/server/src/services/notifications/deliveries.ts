import { DomainError, type EmailDeliveryFilter, type JobState, type Principal } from '@cubby/core';
import { findJob, findJobByKey, listJobs, newId, type JobRecord } from '@cubby/db';
import type { EmailDelivery, EmailDeliveryPage } from '@cubby/protocol/api';
import { transact, type Services } from '../deps.js';
import { emailJobKind, type EmailJobPayload } from './receipts.js';

/** The delivery log (docs/notifications.md): every email job, newest first, and a resend. */
const statesOf: Record<EmailDeliveryFilter, readonly JobState[] | undefined> = {
  all: undefined,
  sent: ['done'],
  failed: ['failed'],
  retried: undefined,
  dead: ['dead'],
  pending: ['queued', 'running', 'failed'],
};

function toDelivery(job: JobRecord): EmailDelivery {
  const payload = job.payload as unknown as EmailJobPayload;
  const result = job.result as { to?: string; messageId?: string } | null;
  return {
    id: job.id,
    template: payload.template,
    state: job.state,
    to: result?.to ?? null,
    attempts: job.attempts,
    maxAttempts: job.max_attempts,
    lastError: job.last_error,
    messageId: result?.messageId ?? null,
    resendOf: payload.resendOf ?? null,
    createdAt: job.created_at,
    nextAttemptAt: job.state === 'queued' || job.state === 'failed' ? job.run_at : null,
    finishedAt: job.finished_at,
  };
}

export async function listEmailDeliveries(
  services: Services,
  query: { show?: EmailDeliveryFilter; cursor?: string; limit?: number },
): Promise<EmailDeliveryPage> {
  const show = query.show ?? 'all';
  const limit = query.limit ?? 50;
  const jobs = await listJobs(services.cubby.db, {
    kind: emailJobKind,
    states: statesOf[show],
    retried: show === 'retried',
    before: query.cursor === undefined ? undefined : Number(query.cursor),
    limit: limit + 1,
  });
  const items = jobs.slice(0, limit).map(toDelivery);
  const last = items[items.length - 1];
  return { items, nextCursor: jobs.length > limit && last ? String(last.createdAt) : null };
}

/**
 * Sends a delivery again as a new job (a new Message-ID: it is a new
 * message, not a retry), whatever became of the first; audited.
 */
export async function resendEmailDelivery(services: Services, principal: Principal, id: string): Promise<EmailDelivery> {
  const newJob = await transact(services, async (tx) => {
    const job = await findJob(tx.db, id);
    if (!job || job.kind !== emailJobKind) throw new DomainError('not_found', 'No such email delivery');
    const payload = { ...(job.payload as unknown as EmailJobPayload), resendOf: job.id };
    const key = `email:resend:${job.id}:${newId()}`;
    tx.enqueue(emailJobKind, payload as unknown as Record<string, unknown>, { key });
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'email.resent',
      entityType: 'job',
      entityId: job.id,
      data: { template: payload.template, by: { kind: principal.kind, name: principal.name } },
    });
    return key;
  });
  return toDelivery((await findJobByKey(services.cubby.db, newJob))!);
}
