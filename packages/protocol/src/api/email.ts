import { Type, type Static } from '@sinclair/typebox';
import { emailDeliveryFilters, emailLanguages, emailTemplates, jobStates } from '@cubby/core';
import { Nullable, OneOf, PageOf, TextInteger, Time } from './common.js';

/**
 * Email (docs/notifications.md): the district's SMTP settings as the
 * dashboard reads them (never the password), their change and test, and the
 * delivery log with its resend.
 */
const Address = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^@\\s<>]+@[^@\\s<>]+$' });
const Language = OneOf(emailLanguages);
const Security = Type.Union([Type.Literal('tls'), Type.Literal('starttls'), Type.Literal('none')], {
  description:
    'tls: TLS from the first byte (port 465); starttls: the server must upgrade (587); none: plain, for a relay on the LAN',
});

export const EmailSettings = Type.Object({
  configured: Type.Boolean(),
  enabled: Type.Boolean({ description: 'false: no email is enqueued' }),
  host: Nullable(Type.String()),
  port: Type.Integer(),
  security: Security,
  username: Nullable(Type.String()),
  passwordSet: Type.Boolean({ description: 'a password is stored (it is never answered)' }),
  fromAddress: Nullable(Type.String()),
  replyTo: Nullable(Type.String()),
  defaultLanguage: Language,
});
export type EmailSettings = Static<typeof EmailSettings>;

export const EmailSettingsChange = Type.Object(
  {
    enabled: Type.Boolean({ default: true }),
    host: Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\-\\[\\]]+$' }),
    port: Type.Integer({ minimum: 1, maximum: 65535, default: 587 }),
    security: Security,
    username: Type.Optional(Nullable(Type.String({ maxLength: 254 }))),
    password: Type.Optional(
      Nullable(
        Type.String({
          minLength: 1,
          maxLength: 1000,
          description: 'write-only; leave out to keep the stored one, null to forget it',
        }),
      ),
    ),
    fromAddress: Address,
    replyTo: Type.Optional(Nullable(Address)),
    defaultLanguage: Type.Optional(Language),
  },
  { additionalProperties: false },
);
export type EmailSettingsChange = Static<typeof EmailSettingsChange>;

export const EmailTestRequest = Type.Object({ to: Address }, { additionalProperties: false });
export type EmailTestRequest = Static<typeof EmailTestRequest>;

export const EmailTestResult = Type.Object({
  ok: Type.Boolean(),
  detail: Type.String({ description: 'what the SMTP server answered' }),
});
export type EmailTestResult = Static<typeof EmailTestResult>;

export const EmailDelivery = Type.Object({
  id: Type.String({ description: "the job's id; the message's Message-ID is derived from it" }),
  template: OneOf(emailTemplates),
  state: OneOf(jobStates),
  to: Nullable(Type.String({ description: 'where it went (known once sent)' })),
  attempts: Type.Integer(),
  maxAttempts: Type.Integer(),
  lastError: Nullable(Type.String()),
  messageId: Nullable(Type.String()),
  resendOf: Nullable(Type.String()),
  createdAt: Time,
  nextAttemptAt: Nullable(Time),
  finishedAt: Nullable(Time),
});
export type EmailDelivery = Static<typeof EmailDelivery>;

export const EmailDeliveryQuery = Type.Object(
  {
    show: Type.Optional(OneOf(emailDeliveryFilters)),
    cursor: Type.Optional(Type.String({ maxLength: 40, pattern: '^[0-9]+$' })),
    limit: Type.Optional(TextInteger({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type EmailDeliveryQuery = Static<typeof EmailDeliveryQuery>;

export const EmailDeliveryPage = PageOf(EmailDelivery);
export type EmailDeliveryPage = Static<typeof EmailDeliveryPage>;
