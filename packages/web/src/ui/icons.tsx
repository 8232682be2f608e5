import type { ReactNode } from 'react';

/** A few line icons, inline so the kiosk needs no icon font or network. Decorative: hidden from screen readers. */
const paths = {
  badge: 'M4 6h16v12H4zM8 10h4M8 14h6M15.5 10.5a1.5 1.5 0 1 0 0 .01',
  laptop: 'M5 6h14v9H5zM3 18h18',
  returning: 'M12 4v11M7 10l5 5 5-5M5 20h14',
  swap: 'M4 8h13l-3-3M20 16H7l3 3',
  charge: 'M13 3 6 13h5l-1 8 7-10h-5z',
  collect: 'M12 20V9M7 14l5-5 5 5M5 4h14',
  wrench:
    'M14.7 6.3a1 1 0 0 0 0 1.4l1.6 1.6a1 1 0 0 0 1.4 0l3.77-3.77a6 6 0 0 1-7.94 7.94l-6.91 6.91a2.12 2.12 0 0 1-3-3l6.91-6.91a6 6 0 0 1 7.94-7.94z',
  check: 'M5 12.5 10 17 19 7',
  warning: 'M12 4 2.5 20h19zM12 10v4.5M12 17.5v.01',
  back: 'M15 5 8 12l7 7',
  barcode: 'M4 6v12M7 6v12M10 6v12M12 6v12M15 6v12M18 6v12M20 6v12',
  keypad: 'M5 5h3v3H5zM10.5 5h3v3h-3zM16 5h3v3h-3zM5 10.5h3v3H5zM10.5 10.5h3v3h-3zM16 10.5h3v3h-3zM10.5 16h3v3h-3z',
  signOut: 'M14 5H5v14h9M10 12h10M17 9l3 3-3 3',
  question: 'M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18zM9.6 9.2a2.5 2.5 0 1 1 3.4 2.3c-.6.3-1 .8-1 1.5v.5M12 16.5v.01',
  forgot: 'M5 6h14v9H5zM3 18h18M10 9l4 3M14 9l-4 3',
  battery: 'M3 8h15v8H3zM21 11v2M6 11v2',
  delete: 'M9 6h11v12H9l-5-6zM12 10l4 4M16 10l-4 4',
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, size = 32, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <LineIcon size={size} className={className}>
      <path d={paths[name]} />
    </LineIcon>
  );
}

/** The frame of every line icon: a 24 × 24 grid, 2 px strokes in the text's colour, hidden from screen readers. */
export function LineIcon({ size, className, children }: { size: number; className?: string; children: ReactNode }) {
  return (
    <svg
      className={className}
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={2}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}
