/**
 * What the request log says about a request. Searches put names and student
 * numbers in the query string (`/api/v1/people?q=…`), so the log keeps which
 * parameters were sent, not what those said (docs/privacy.md).
 */
const personalQuery = new Set(['q', 'studentnumber', 'email', 'externalid']);

export function urlForLog(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const params = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const key = pair.split('=')[0]!;
      return personalQuery.has(decoded(key).toLowerCase()) ? `${key}=…` : pair;
    });
  return `${url.slice(0, at)}?${params.join('&')}`;
}

function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Fastify's own request fields, with the URL as above. */
export function requestForLog(req: {
  method?: string;
  url?: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}) {
  return {
    method: req.method,
    url: urlForLog(req.url ?? ''),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}
