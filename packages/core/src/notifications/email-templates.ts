/**
 * The emails Cubby sends (docs/notifications.md), in English and Spanish.
 * Pure: the runner loads the facts, this turns them into a subject and a
 * plain-text body. Facts never carry a PIN or a badge number, so no message
 * can show one; a district may override a template's subject and body with
 * {{placeholders}} named after the facts.
 */
export const emailTemplates = ['borrow_receipt', 'return_receipt', 'swap_receipt', 'ready_for_pickup'] as const;
export type EmailTemplate = (typeof emailTemplates)[number];

/** The delivery log's views: sent (done), failed (waiting for a retry), retried (took more than one attempt), dead, pending (not sent yet). */
export const emailDeliveryFilters = ['all', 'sent', 'failed', 'retried', 'dead', 'pending'] as const;
export type EmailDeliveryFilter = (typeof emailDeliveryFilters)[number];

export const emailLanguages = ['en', 'es'] as const;
export type EmailLanguage = (typeof emailLanguages)[number];

export interface EmailFacts {
  givenName: string;
  districtName: string;
  stationName: string;
  siteName: string;
  /** The site's time zone: every time is shown in it. */
  timeZone: string;
  /** When it happened (epoch ms). */
  at: number;
  assetTag: string | null;
  dueAt: number | null;
  ticketNumber: string | null;
  compartment: number | null;
}

export interface RenderedEmail {
  subject: string;
  text: string;
}

export interface TemplateOverride {
  subject?: string;
  text?: string;
}

export function isEmailLanguage(value: unknown): value is EmailLanguage {
  return typeof value === 'string' && (emailLanguages as readonly string[]).includes(value);
}

/** The short number a person quotes for a repair ticket: the last eight characters of its id. */
export function ticketNumber(ticketId: string): string {
  return `R-${ticketId.replace(/-/g, '').slice(-8).toUpperCase()}`;
}

type Strings = Record<EmailTemplate, { subject: string; body: string[] }> & { hello: string; footer: string };

const strings: Record<EmailLanguage, Strings> = {
  en: {
    hello: 'Hello {{givenName}},',
    footer: 'This message was sent by {{districtName}}’s Cubby lockers. Please do not reply with passwords or PINs.',
    borrow_receipt: {
      subject: 'Loaner {{assetTag}} is checked out to you',
      body: [
        'You took loaner {{assetTag}} from {{stationName}} ({{siteName}}) on {{at}}.',
        'Please return it by {{dueAt}} at any Cubby station.',
      ],
    },
    return_receipt: {
      subject: 'Loaner {{assetTag}} is returned',
      body: ['You returned loaner {{assetTag}} at {{stationName}} ({{siteName}}) on {{at}}. Thank you!'],
    },
    swap_receipt: {
      subject: 'Repair ticket {{ticketNumber}}: loaner {{assetTag}} is checked out to you',
      body: [
        'You left your device for repair at {{stationName}} ({{siteName}}) on {{at}}. Your repair ticket number is {{ticketNumber}}.',
        'You took loaner {{assetTag}}; please return it by {{dueAt}}.',
        'We will email you when your device is ready for pickup.',
      ],
    },
    ready_for_pickup: {
      subject: 'Your repaired device is ready for pickup',
      body: [
        'Your device (repair ticket {{ticketNumber}}) is repaired and waiting for you in locker {{compartment}} at {{stationName}} ({{siteName}}).',
        'Sign in at the station and choose “Pick up my repaired device”.',
      ],
    },
  },
  es: {
    hello: 'Hola, {{givenName}}:',
    footer: 'Este mensaje lo envían los casilleros Cubby de {{districtName}}. No responda con contraseñas ni PIN.',
    borrow_receipt: {
      subject: 'Tiene en préstamo el equipo {{assetTag}}',
      body: [
        'Tomó el equipo de préstamo {{assetTag}} en {{stationName}} ({{siteName}}) el {{at}}.',
        'Devuélvalo antes del {{dueAt}} en cualquier estación Cubby.',
      ],
    },
    return_receipt: {
      subject: 'El equipo {{assetTag}} fue devuelto',
      body: ['Devolvió el equipo de préstamo {{assetTag}} en {{stationName}} ({{siteName}}) el {{at}}. ¡Gracias!'],
    },
    swap_receipt: {
      subject: 'Reparación {{ticketNumber}}: tiene en préstamo el equipo {{assetTag}}',
      body: [
        'Dejó su equipo para reparar en {{stationName}} ({{siteName}}) el {{at}}. Su número de reparación es {{ticketNumber}}.',
        'Tomó el equipo de préstamo {{assetTag}}; devuélvalo antes del {{dueAt}}.',
        'Le avisaremos por correo cuando su equipo esté listo para recoger.',
      ],
    },
    ready_for_pickup: {
      subject: 'Su equipo reparado está listo para recoger',
      body: [
        'Su equipo (reparación {{ticketNumber}}) está reparado y lo espera en el casillero {{compartment}} de {{stationName}} ({{siteName}}).',
        'Inicie sesión en la estación y elija «Recoger mi equipo reparado».',
      ],
    },
  },
};

function when(ms: number | null, timeZone: string, language: EmailLanguage): string {
  if (ms === null) return '';
  return new Intl.DateTimeFormat(language === 'es' ? 'es-US' : 'en-US', {
    timeZone,
    weekday: 'long',
    month: 'long',
    day: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  }).format(ms);
}

/** The placeholders a template (or a district's override) may use, filled from the facts. */
export function templateValues(facts: EmailFacts, language: EmailLanguage): Record<string, string> {
  return {
    givenName: facts.givenName,
    districtName: facts.districtName,
    stationName: facts.stationName,
    siteName: facts.siteName,
    at: when(facts.at, facts.timeZone, language),
    dueAt: when(facts.dueAt, facts.timeZone, language),
    assetTag: facts.assetTag ?? '',
    ticketNumber: facts.ticketNumber ?? '',
    compartment: facts.compartment === null ? '' : String(facts.compartment),
  };
}

/** Fills {{name}} from the values; an unknown name is left out (never echoed). */
export function fillTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => values[name] ?? '');
}

export function renderEmail(
  template: EmailTemplate,
  language: EmailLanguage,
  facts: EmailFacts,
  override: TemplateOverride = {},
): RenderedEmail {
  const s = strings[language];
  const values = templateValues(facts, language);
  const body = override.text ?? [s.hello, '', ...s[template].body.flatMap((p) => [p, '']), '—', s.footer].join('\n');
  return {
    // A subject is one line, whatever an override holds.
    subject: fillTemplate(override.subject ?? s[template].subject, values)
      .replace(/[\r\n]+/g, ' ')
      .trim(),
    text: fillTemplate(body, values),
  };
}
