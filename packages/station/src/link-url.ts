/** `${serverUrl}/station/link` with http→ws and https→wss. */
export function linkUrl(serverUrl: string): URL {
  const url = new URL(serverUrl);
  const schemes: Record<string, string> = { 'http:': 'ws:', 'https:': 'wss:', 'ws:': 'ws:', 'wss:': 'wss:' };
  const scheme = schemes[url.protocol];
  if (!scheme) throw new RangeError(`the server URL must be http(s) or ws(s), not ${url.protocol}`);
  url.protocol = scheme;
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/station/link`;
  url.search = '';
  url.hash = '';
  return url;
}
