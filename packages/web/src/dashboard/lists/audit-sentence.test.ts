import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '@cubby/protocol/api';
import { dashboardEn } from '../../i18n/dashboard-en.js';
import { dashboardEs } from '../../i18n/dashboard-es.js';
import { auditSentence } from './audit-sentence.js';

const i18n = i18next.createInstance();
await i18n.init({
  resources: { en: { translation: dashboardEn }, es: { translation: dashboardEs } },
  lng: 'en',
  fallbackLng: 'en',
  nsSeparator: false,
  interpolation: { escapeValue: false },
});

const anEvent = (event: Partial<AuditEvent>): AuditEvent => ({
  seq: 1,
  id: 'e1',
  at: 0,
  actorType: 'person',
  actorId: 'p1',
  action: 'loan.started',
  entityType: 'loan',
  entityId: 'l1',
  stationId: 's1',
  transactionId: null,
  data: {},
  prevHash: '',
  hash: '',
  names: { actor: 'Ana García', subject: null, station: 'North Hall', campus: 'Maple Valley High', device: 'LN-0042' },
  timeZone: 'America/Chicago',
  ...event,
});

describe('audit sentences', () => {
  it('say who did what, where, in English and Spanish', () => {
    expect(auditSentence(i18n.getFixedT('en'), anEvent({}))).toBe('Ana García borrowed loaner LN-0042 at North Hall station');
    expect(auditSentence(i18n.getFixedT('es'), anEvent({}))).toBe(
      'Ana García tomó prestado el equipo LN-0042 en la estación North Hall',
    );
    const opened = anEvent({
      actorType: 'user',
      action: 'compartment.remote_open',
      data: { number: 7, reason: 'Charger left inside' },
      names: { actor: 'Dana District', subject: null, station: 'North Hall', campus: null, device: null },
    });
    expect(auditSentence(i18n.getFixedT('en'), opened)).toBe(
      'Dana District opened locker 7 at North Hall station from the dashboard: “Charger left inside”',
    );
  });

  it('a name the reader may not see reads as "A student"; an unknown action by its code', () => {
    const hidden = anEvent({ names: { actor: null, subject: null, station: 'North Hall', campus: null, device: 'LN-0042' } });
    expect(auditSentence(i18n.getFixedT('en'), hidden)).toBe('A student borrowed loaner LN-0042 at North Hall station');
    expect(auditSentence(i18n.getFixedT('es'), hidden)).toBe(
      'Un estudiante tomó prestado el equipo LN-0042 en la estación North Hall',
    );
    expect(auditSentence(i18n.getFixedT('en'), anEvent({ action: 'thing.happened' }))).toBe('Ana García: thing.happened');
  });

  it('an applied roster import reads as a sentence in both languages', () => {
    const applied = anEvent({
      actorType: 'user',
      action: 'import.applied',
      entityType: 'import',
      stationId: null,
      data: { kind: 'oneroster', counts: {} },
      names: { actor: 'Dana District', subject: null, station: null, campus: null, device: null },
    });
    expect(auditSentence(i18n.getFixedT('en'), applied)).toBe('Dana District applied a OneRoster import');
    expect(auditSentence(i18n.getFixedT('es'), { ...applied, action: 'import.previewed', data: { kind: 'devices' } })).toBe(
      'Dana District hizo una prueba de importación (CSV de dispositivos)',
    );
  });
});
