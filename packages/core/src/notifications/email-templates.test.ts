import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { emailLanguages, emailTemplates, fillTemplate, renderEmail, ticketNumber, type EmailFacts } from './email-templates.js';

const facts: EmailFacts = {
  givenName: 'Ana',
  districtName: 'Springfield USD',
  stationName: 'Library',
  siteName: 'Springfield High',
  timeZone: 'America/Chicago',
  // Tuesday 3 March 2026, 9:15 in Chicago.
  at: Date.UTC(2026, 2, 3, 15, 15),
  assetTag: 'LN-0042',
  dueAt: Date.UTC(2026, 2, 3, 21, 30),
  ticketNumber: ticketNumber('0190f5d2-3c4a-7b8e-9f00-abcdef123456'),
  compartment: 7,
};

describe('email templates', () => {
  it.each(emailTemplates.flatMap((t) => emailLanguages.map((l) => [t, l] as const)))(
    '%s in %s greets the person by name, names the station and has no unfilled placeholder',
    (template, language) => {
      const { subject, text } = renderEmail(template, language, facts);
      expect(subject.length).toBeGreaterThan(5);
      expect(text).toContain('Ana');
      expect(text).toContain('Library (Springfield High)');
      expect(`${subject}\n${text}`).not.toMatch(/\{\{|\}\}/);
    },
  );

  it('the borrow receipt gives the loaner and its due time in the campus time zone', () => {
    const en = renderEmail('borrow_receipt', 'en', facts);
    expect(en.subject).toBe('Loaner LN-0042 is checked out to you');
    expect(en.text).toContain('Please return it by Tuesday, March 3 at 3:30 PM at any Cubby station.');
    const es = renderEmail('borrow_receipt', 'es', facts);
    expect(es.subject).toBe('Tiene en préstamo el equipo LN-0042');
    expect(es.text).toContain('Devuélvalo antes del martes, 3 de marzo');
  });

  it('the swap receipt carries the ticket number in its subject; ready for pickup names the locker', () => {
    expect(renderEmail('swap_receipt', 'en', facts).subject).toBe(
      'Repair ticket R-EF123456: loaner LN-0042 is checked out to you',
    );
    expect(renderEmail('ready_for_pickup', 'es', facts).text).toContain('casillero 7 de Library');
  });

  it('a district override fills only known placeholders and keeps the subject on one line', () => {
    const r = renderEmail('return_receipt', 'en', facts, {
      subject: 'Got {{assetTag}}\r\nBcc: x@evil',
      text: '{{givenName}} {{pin}}',
    });
    expect(r.subject).toBe('Got LN-0042 Bcc: x@evil');
    expect(r.text).toBe('Ana ');
  });

  it('filling never invents text: without placeholders the text is unchanged', () => {
    fc.assert(
      fc.property(
        fc.string().filter((t) => !t.includes('{{')),
        (t) => {
          expect(fillTemplate(t, { a: 'x' })).toBe(t);
        },
      ),
    );
  });
});
