import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport/index.js';

/**
 * Sends one message through the district's SMTP server (nodemailer, no
 * pooling: a job sends one message and is done). Every timeout is well under
 * the job lease (docs/notifications.md), so a send either ends or fails
 * before another runner could take its job over.
 */
export interface SmtpSettings {
  host: string;
  port: number;
  security: 'tls' | 'starttls' | 'none';
  username: string | null;
  password: string | null;
  fromAddress: string;
  replyTo: string | null;
}

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Stable per job: a retry of the same job carries the same Message-ID. */
  messageId: string;
}

export interface SentEmail {
  messageId: string;
  response: string;
  accepted: string[];
}

/** Why a send failed, and whether trying again later may help (4xx, a network error) or not (5xx). */
export class SmtpFailure extends Error {
  constructor(
    message: string,
    readonly temporary: boolean,
  ) {
    super(message);
  }
}

export interface MailerTuning {
  connectionTimeoutMs?: number;
  socketTimeoutMs?: number;
  /** Tests talk to a local server with a self-signed certificate. */
  allowSelfSigned?: boolean;
}

function transportOptions(settings: SmtpSettings, tuning: MailerTuning): SMTPTransport.Options {
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.security === 'tls',
    requireTLS: settings.security === 'starttls',
    ignoreTLS: settings.security === 'none',
    auth: settings.username ? { user: settings.username, pass: settings.password ?? '' } : undefined,
    connectionTimeout: tuning.connectionTimeoutMs ?? 15_000,
    greetingTimeout: tuning.connectionTimeoutMs ?? 15_000,
    socketTimeout: tuning.socketTimeoutMs ?? 30_000,
    tls: tuning.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    // Never nodemailer's own logger: it would print the AUTH exchange.
    logger: false,
    debug: false,
  };
}

export async function sendEmail(settings: SmtpSettings, email: OutgoingEmail, tuning: MailerTuning = {}): Promise<SentEmail> {
  const transport = nodemailer.createTransport(transportOptions(settings, tuning));
  try {
    const info = await transport.sendMail({
      from: settings.fromAddress,
      replyTo: settings.replyTo ?? undefined,
      to: email.to,
      subject: email.subject,
      text: email.text,
      messageId: email.messageId,
      headers: { 'Auto-Submitted': 'auto-generated' },
    });
    return { messageId: info.messageId, response: info.response, accepted: info.accepted.map(String) };
  } catch (error) {
    throw smtpFailure(error);
  } finally {
    transport.close();
  }
}

/** A 5xx reply (or bad credentials, a refused address) will not change by waiting; anything else might. */
export function smtpFailure(error: unknown): SmtpFailure {
  const e = error as { responseCode?: number; code?: string; response?: string; message?: string };
  const permanent = (e.responseCode !== undefined && e.responseCode >= 500) || e.code === 'EAUTH' || e.code === 'EENVELOPE';
  // The server's reply, never the credentials (nodemailer's messages do not include them).
  const detail = e.response ?? e.message ?? String(error);
  return new SmtpFailure(detail.slice(0, 500), !permanent);
}
