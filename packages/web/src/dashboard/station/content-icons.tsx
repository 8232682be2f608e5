import type { CompartmentContent } from '@cubby/core';
import { LineIcon } from '../../ui/icons.js';

/**
 * One small line icon per kind of compartment content, drawn in the text's
 * colour beside the words (the words carry the meaning; the icon and colour
 * make kinds tell apart at a glance). 24 × 24 grid, 2 px strokes.
 */
const paths: Record<CompartmentContent, string[]> = {
  loaner_ready: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M8 12l3 3l5-6'],
  loaner_charging: ['M13 3L5 14h6l-1 7l8-11h-6z'],
  loaner_low: ['M3 8h15v8H3z', 'M21 11v2', 'M6 11v2'],
  awaiting_collection: ['M14.5 5.5a4 4 0 0 0-5 5L4 16v4h4l5.5-5.5a4 4 0 0 0 5-5l-2.5 2.5l-3-3z'],
  awaiting_owner: ['M12 4a4 4 0 1 0 0 8a4 4 0 1 0 0-8', 'M5 21v-1a6 6 0 0 1 9-5', 'M15 19l2 2l4-4'],
  own_device_charging: ['M9 3v5', 'M15 3v5', 'M6 8h12v3a6 6 0 0 1-12 0z', 'M12 17v4'],
  other_device: ['M5 5h14v10H5z', 'M3 19h18'],
  unknown_item: ['M9 9a3 3 0 1 1 4 2.8c-.7.4-1 1-1 1.7V15', 'M12 19v.01'],
  empty: ['M4 4h16v16H4z'],
  out_of_service: ['M12 3a9 9 0 1 0 0 18a9 9 0 1 0 0-18', 'M5.6 5.6l12.8 12.8'],
};

export function ContentIcon({ content, size = 20 }: { content: CompartmentContent; size?: number }) {
  return (
    <LineIcon size={size} className="content-icon">
      {paths[content].map((d) => (
        <path key={d} d={d} strokeDasharray={content === 'empty' ? '3 3' : undefined} />
      ))}
    </LineIcon>
  );
}
