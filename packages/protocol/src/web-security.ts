/**
 * The Content-Security-Policy of Cubby's web pages: the dashboard and /docs
 * (served by the server) and the kiosk (served by each station agent). The
 * Vite builds load one module script and one stylesheet from their own origin
 * and talk only to that origin (fetch and EventSource), so scripts come from
 * 'self' alone: no inline script, no eval. Styles allow 'unsafe-inline'
 * because Mantine writes its theme variables into a <style> element at run
 * time and ECharts and Swagger UI set style attributes; a style cannot run
 * code. `frame-ancestors 'none'` keeps the dashboard's "Open door" and the
 * kiosk out of any frame (click-jacking). No `upgrade-insecure-requests`: the
 * kiosk is plain http on 127.0.0.1 by design.
 */
export const contentSecurityPolicy = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:'],
  'font-src': ["'self'", 'data:'],
  'connect-src': ["'self'"],
  'object-src': ["'none'"],
  'frame-src': ["'none'"],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
} as const satisfies Record<string, readonly string[]>;
