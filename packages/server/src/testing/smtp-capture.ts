import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

/**
 * A real SMTP server (smtp-server, from npm) on a free local port that keeps
 * every message it accepts, for the email tests: the raw message and its
 * parsed headers and text. `refuse` decides per delivery attempt (numbered
 * from 1) whether to answer 451 (try later) or 550 (refused) instead.
 */
export interface CapturedEmail {
  from: string;
  to: string[];
  subject: string;
  messageId: string;
  headers: Record<string, string>;
  text: string;
  raw: string;
}

export interface SmtpCapture {
  port: number;
  messages: CapturedEmail[];
  /** Attempts seen at DATA's end, accepted or refused. */
  attempts: number;
  /** Users who authenticated (user name and the password they gave). */
  logins: { user: string; pass: string }[];
  refuse: (attempt: number) => 'temporary' | 'permanent' | null;
  byMessageId(): Map<string, number>;
  close(): Promise<void>;
}

export async function startSmtpCapture(
  options: { user?: string; pass?: string; /** Wait before answering each message (a slow server). */ delayMs?: number } = {},
): Promise<SmtpCapture> {
  const capture: SmtpCapture = {
    port: 0,
    messages: [],
    attempts: 0,
    logins: [],
    refuse: () => null,
    byMessageId() {
      const counts = new Map<string, number>();
      for (const m of this.messages) counts.set(m.messageId, (counts.get(m.messageId) ?? 0) + 1);
      return counts;
    },
    close: async () => {},
  };
  const serverOptions: SMTPServerOptions = {
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      capture.logins.push({ user: auth.username ?? '', pass: auth.password ?? '' });
      if (options.user && (auth.username !== options.user || auth.password !== options.pass)) {
        return callback(Object.assign(new Error('Invalid username or password'), { responseCode: 535 }));
      }
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', async () => {
        if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
        capture.attempts += 1;
        const verdict = capture.refuse(capture.attempts);
        if (verdict === 'temporary') return callback(Object.assign(new Error('Try again later'), { responseCode: 451 }));
        if (verdict === 'permanent') return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 }));
        const raw = Buffer.concat(chunks).toString('utf8');
        capture.messages.push(parseMessage(raw, session.envelope));
        callback();
      });
    },
  };
  const server = new SMTPServer(serverOptions);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  capture.port = (server.server.address() as AddressInfo).port;
  capture.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return capture;
}

function parseMessage(
  raw: string,
  envelope: { mailFrom: false | { address: string }; rcptTo: { address: string }[] },
): CapturedEmail {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const headers: Record<string, string> = {};
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = decodeWords(line.slice(colon + 1).trim());
  }
  let body = raw.slice(split + 4);
  const encoding = (headers['content-transfer-encoding'] ?? '').toLowerCase();
  if (encoding === 'quoted-printable') body = decodeQuotedPrintable(body);
  else if (encoding === 'base64') body = Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  return {
    from: envelope.mailFrom ? envelope.mailFrom.address : '',
    to: envelope.rcptTo.map((r) => r.address),
    subject: headers.subject ?? '',
    messageId: headers['message-id'] ?? '',
    headers,
    text: body.replace(/\r\n/g, '\n'),
    raw,
  };
}

/** RFC 2047 encoded words (=?UTF-8?Q?…?= and =?UTF-8?B?…?=), as nodemailer writes non-ASCII headers. */
function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
      kind.toLowerCase() === 'b' ? Buffer.from(text, 'base64').toString('utf8') : decodeQuotedPrintable(text.replace(/_/g, ' ')),
    );
}

function decodeQuotedPrintable(text: string): string {
  const bytes: number[] = [];
  const soft = text.replace(/=\r?\n/g, '');
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      bytes.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(soft[i]!, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
