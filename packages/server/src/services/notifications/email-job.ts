import { isEmailLanguage, renderEmail, ticketNumber, type EmailFacts } from '@cubby/core';
import { findEmailRecipient, findEmailSettings, findLoanForReceipt } from '@cubby/db';
import { sendEmail, SmtpFailure, type MailerTuning } from '../../integrations/email/mailer.js';
import { PermanentJobFailure, type JobHandler } from '../../jobs/runner.js';
import type { Services } from '../deps.js';
import { domainOf, smtpSettingsOf } from './email-settings.js';
import type { EmailJobPayload } from './receipts.js';

/** Every message of one job carries this Message-ID, on every attempt: a repeat is recognisable as one. */
export function messageIdOf(jobId: string, fromAddress: string): string {
  return `<${jobId}@${domainOf(fromAddress)}>`;
}

/**
 * Sends one email job: reads the facts now, renders the template in the
 * person's language (else the district's default), and returns what the
 * runner records with `done` (the Message-ID, the server's reply and the
 * address), in the same write that ends the job.
 */
export function emailJobHandler(services: Services, tuning: MailerTuning = {}): JobHandler {
  return async ({ job }) => {
    const payload = job.payload as unknown as EmailJobPayload;
    const person = await findEmailRecipient(services.cubby.db, payload.personId, payload.stationId);
    if (!person) throw new PermanentJobFailure('the person or station of this message no longer exists');
    if (person.erasedAt !== null && person.erasedAt !== undefined) throw new PermanentJobFailure('the person was erased');
    if (!person.email) throw new PermanentJobFailure('the person has no email address');
    const row = await findEmailSettings(services.cubby.db, person.districtId);
    if (!row || row.enabled !== 1) throw new PermanentJobFailure('email is not set up or is turned off');
    const smtp = smtpSettingsOf(services.keys, row);
    const loan = payload.loanId ? await findLoanForReceipt(services.cubby.db, payload.loanId) : undefined;
    const facts: EmailFacts = {
      givenName: person.givenName,
      districtName: person.districtName,
      stationName: person.stationName,
      siteName: person.siteName,
      timeZone: person.timeZone,
      at: payload.at,
      assetTag: loan?.assetTag ?? null,
      dueAt: loan ? Number(loan.dueAt) : null,
      ticketNumber: payload.ticketId ? ticketNumber(payload.ticketId) : null,
      compartment: payload.compartment ?? null,
    };
    const language = isEmailLanguage(person.language) ? person.language : row.default_language;
    const rendered = renderEmail(payload.template, language, facts);
    const messageId = messageIdOf(job.id, smtp.fromAddress);
    const sent = await sendEmail(
      smtp,
      { to: person.email, ...rendered, messageId },
      { ...services.config.email, ...tuning },
    ).catch((error: unknown) => {
      // A 5xx (a refused address, bad credentials) will not pass by waiting: dead at once, resend once fixed.
      throw error instanceof SmtpFailure && !error.temporary ? new PermanentJobFailure(error.message) : error;
    });
    return { messageId: sent.messageId, response: sent.response, to: person.email, language, sentAt: Date.now() };
  };
}
