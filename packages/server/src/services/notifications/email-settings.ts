import { DomainError, type Principal } from '@cubby/core';
import { findEmailSettings, saveEmailSettings, type EmailSettingsTable } from '@cubby/db';
import type { EmailSettings, EmailSettingsChange, EmailTestResult } from '@cubby/protocol/api';
import { sendEmail, SmtpFailure, type MailerTuning, type SmtpSettings } from '../../integrations/email/mailer.js';
import type { Keys } from '../../secrets.js';
import { transact, type Services } from '../deps.js';
import { theDistrictId } from '../google/connection.js';

/**
 * The district's outgoing mail server (docs/notifications.md). The password
 * is sealed under the server secret (like the Google key), never answered and
 * never audited; the audit log records who changed what else.
 */
const passwordPurpose = (districtId: string) => `smtp-password:${districtId}`;

function toSettings(row: EmailSettingsTable | undefined): EmailSettings {
  if (!row) {
    return {
      configured: false,
      enabled: false,
      host: null,
      port: 587,
      security: 'starttls',
      username: null,
      passwordSet: false,
      fromAddress: null,
      replyTo: null,
      defaultLanguage: 'en',
    };
  }
  return {
    configured: true,
    enabled: row.enabled === 1,
    host: row.host,
    port: Number(row.port),
    security: row.security,
    username: row.username,
    passwordSet: row.password_sealed !== null,
    fromAddress: row.from_address,
    replyTo: row.reply_to,
    defaultLanguage: row.default_language,
  };
}

export async function emailSettings(services: Services): Promise<EmailSettings> {
  return toSettings(await findEmailSettings(services.cubby.db, await theDistrictId(services)));
}

export async function changeEmailSettings(
  services: Services,
  principal: Principal,
  input: EmailSettingsChange,
): Promise<EmailSettings> {
  const districtId = await theDistrictId(services);
  await transact(services, async (tx) => {
    const before = await findEmailSettings(tx.db, districtId);
    const sealed =
      input.password === undefined
        ? (before?.password_sealed ?? null)
        : input.password === null
          ? null
          : services.keys.seal(input.password, passwordPurpose(districtId));
    const row: EmailSettingsTable = {
      district_id: districtId,
      enabled: input.enabled ? 1 : 0,
      host: input.host,
      port: input.port,
      security: input.security,
      username: input.username === undefined ? (before?.username ?? null) : input.username,
      password_sealed: sealed,
      from_address: input.fromAddress,
      reply_to: input.replyTo === undefined ? (before?.reply_to ?? null) : input.replyTo,
      default_language: input.defaultLanguage ?? before?.default_language ?? 'en',
      updated_at: tx.now,
      updated_by: principal.id,
    };
    await saveEmailSettings(tx.db, row);
    const { password_sealed: _p, ...shown } = row;
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: before ? 'email.settings_updated' : 'email.configured',
      entityType: 'district',
      entityId: districtId,
      // Never the password: only whether a new one was given or the old one forgotten.
      data: {
        ...shown,
        password: input.password === undefined ? 'kept' : input.password === null ? 'removed' : 'changed',
        by: { kind: principal.kind, name: principal.name },
      },
    });
  });
  return emailSettings(services);
}

/** The stored settings with the password unsealed, for one send; `conflict` when email is not set up. */
export function smtpSettingsOf(keys: Keys, row: EmailSettingsTable | undefined): SmtpSettings {
  if (!row) throw new DomainError('conflict', 'Email is not set up: store the SMTP settings first');
  let password: string | null = null;
  if (row.password_sealed !== null) {
    const plain = keys.unseal(row.password_sealed, passwordPurpose(row.district_id));
    if (plain === undefined) {
      throw new DomainError('conflict', 'The stored SMTP password cannot be read (was CUBBY_SECRET changed?): store it again');
    }
    password = plain;
  }
  return {
    host: row.host,
    port: Number(row.port),
    security: row.security,
    username: row.username,
    password,
    fromAddress: row.from_address,
    replyTo: row.reply_to,
  };
}

/** Sends a short test message now (not through the job runner, so the answer is the server's own); audited. */
export async function testEmailSettings(
  services: Services,
  principal: Principal,
  to: string,
  tuning: MailerTuning = {},
): Promise<EmailTestResult> {
  const districtId = await theDistrictId(services);
  const smtp = smtpSettingsOf(services.keys, await findEmailSettings(services.cubby.db, districtId));
  let result: EmailTestResult;
  try {
    const sent = await sendEmail(
      smtp,
      {
        to,
        subject: 'Cubby test message',
        text: 'This is a test message from Cubby. Email receipts and notices will be sent through this server.',
        messageId: `<test-${Date.now()}@${domainOf(smtp.fromAddress)}>`,
      },
      { ...services.config.email, ...tuning },
    );
    result = { ok: true, detail: sent.response };
  } catch (error) {
    if (!(error instanceof SmtpFailure)) throw error;
    result = { ok: false, detail: error.message };
  }
  await transact(services, async (tx) =>
    tx.audit({
      actorType: 'user',
      actorId: principal.id,
      action: 'email.test_sent',
      entityType: 'district',
      entityId: districtId,
      data: { to, ok: result.ok, detail: result.detail, by: { kind: principal.kind, name: principal.name } },
    }),
  );
  return result;
}

export function domainOf(address: string): string {
  return address.split('@').pop()?.replace(/[>\s]/g, '') || 'cubby.invalid';
}
