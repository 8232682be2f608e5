import type { TFunction } from 'i18next';
import type { AuditEvent } from '@cubby/protocol/api';

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
const number = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/**
 * An audit event as a sentence in the reader's language ("Ana García
 * borrowed loaner LN-0042 at North Hall station"), from the names the server
 * resolved for the reader. A name the reader may not see reads as "A student",
 * "a device"; an action without a sentence of its own reads by its code.
 */
export function auditSentence(t: TFunction, event: AuditEvent): string {
  const { names, data } = event;
  const station = names.station ?? t('audit.someStation');
  const params = {
    actor: names.actor ?? (event.actorType === 'station' ? station : t(`audit.someone.${event.actorType}`)),
    subject: names.subject ?? t(`audit.something.${event.entityType}`, { defaultValue: t('audit.something.other') }),
    station,
    device: names.device ?? t('audit.someDevice'),
    number: number(data.number) ?? number(data.compartment) ?? '?',
    from: number(data.from),
    to: number(data.to),
    reason: text(data.reason) ? t(`audit.reasons.${text(data.reason)}`, { defaultValue: text(data.reason) }) : '',
    code: text(data.code) ?? '',
    kind: text(data.kind) ? t(`audit.kinds.${text(data.kind)}`, { defaultValue: text(data.kind) }) : '',
    grade: text(data.grade) ?? '',
    action: event.action,
  };
  return t(`audit.sentences.${event.action}`, { ...params, defaultValue: t('audit.sentences.other', params) });
}
