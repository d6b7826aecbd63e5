import type { JSX } from 'react';

/** The icon set: small inline SVGs (no icon font, no network), drawn with currentColor. */
export type IconName =
  | 'folder' | 'file' | 'link' | 'back' | 'forward' | 'up' | 'refresh' | 'new-folder' | 'eye' | 'eye-off'
  | 'upload' | 'download' | 'server' | 'plug' | 'unplug' | 'pause' | 'play' | 'x' | 'retry' | 'trash'
  | 'copy' | 'save' | 'lock' | 'warning' | 'search' | 'sites' | 'edit' | 'key' | 'gear' | 'shield';

const paths: Record<IconName, JSX.Element> = {
  folder: <path d="M1.5 3.5h4l1.5 1.5h7.5v8h-13z" fill="var(--folder-fill)" stroke="var(--folder-stroke)" />,
  file: <path d="M3.5 1.5h6l3 3v10h-9z M9.5 1.5v3h3" fill="var(--file-fill)" stroke="var(--file-stroke)" />,
  link: (
    <>
      <path d="M3.5 1.5h6l3 3v10h-9z" fill="var(--file-fill)" stroke="var(--file-stroke)" />
      <path d="M6 11.5l4-4M7 7.5h3v3" stroke="var(--accent)" fill="none" />
    </>
  ),
  back: <path d="M10 3L5 8l5 5" />,
  forward: <path d="M6 3l5 5-5 5" />,
  up: <path d="M8 13V3M3.5 7.5L8 3l4.5 4.5" />,
  refresh: <path d="M13 8a5 5 0 1 1-1.5-3.5M13 2.5v3h-3" />,
  'new-folder': <path d="M1.5 3.5h4l1.5 1.5h7.5v8h-13zM8 7v4M6 9h4" />,
  eye: <path d="M1 8s2.5-4.5 7-4.5S15 8 15 8s-2.5 4.5-7 4.5S1 8 1 8zM8 10a2 2 0 1 0 0-4 2 2 0 0 0 0 4z" />,
  'eye-off': <path d="M1 8s2.5-4.5 7-4.5S15 8 15 8s-2.5 4.5-7 4.5S1 8 1 8zM2 2l12 12" />,
  upload: <path d="M8 11V2M4 5.5L8 2l4 3.5M2 14h12" />,
  download: <path d="M8 2v9M4 7.5L8 11l4-3.5M2 14h12" />,
  server: <path d="M2 2.5h12v4H2zM2 9.5h12v4H2zM4.5 4.5h1M4.5 11.5h1" />,
  plug: <path d="M5 1.5v3M11 1.5v3M3.5 4.5h9v3a4.5 4.5 0 0 1-9 0zM8 12v2.5" />,
  unplug: <path d="M3.5 4.5h9v3a4.5 4.5 0 0 1-9 0zM8 12v2.5M2 2l12 12" />,
  pause: <path d="M5 3v10M11 3v10" />,
  play: <path d="M4.5 2.5v11l9-5.5z" />,
  x: <path d="M3.5 3.5l9 9M12.5 3.5l-9 9" />,
  retry: <path d="M3 8a5 5 0 1 0 1.5-3.5M3 2.5v3h3" />,
  trash: <path d="M2.5 4h11M6 4V2.5h4V4M4 4l.8 10h6.4L12 4M6.5 6.5v5M9.5 6.5v5" />,
  copy: <path d="M5.5 5.5h8v8h-8zM2.5 10.5v-8h8" />,
  save: <path d="M2.5 2.5h9l2 2v9h-11zM5 2.5v3.5h5V2.5M4.5 13.5v-4h7v4" />,
  lock: <path d="M4 7.5h8v6.5H4zM5.5 7.5V5a2.5 2.5 0 0 1 5 0v2.5" />,
  warning: <path d="M8 1.8l6.5 12H1.5zM8 6v3.8M8 11.5v.6" />,
  search: <path d="M7 12a5 5 0 1 0 0-10 5 5 0 0 0 0 10zM10.5 10.5l4 4" />,
  sites: <path d="M1.5 2.5h13v3h-13zM1.5 7h13v3h-13zM1.5 11.5h13v3h-13z" />,
  edit: <path d="M11 2.5l2.5 2.5L6 12.5l-3.2.7.7-3.2z" />,
  gear: (
    <>
      <circle cx="8" cy="8" r="2.2" />
      <path d="M8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4" />
    </>
  ),
  shield: <path d="M8 1.5l5.5 2v4c0 3.5-2.5 6-5.5 7-3-1-5.5-3.5-5.5-7v-4zM5.5 8l2 2 3-3.5" />,
  key: <path d="M10 10a4 4 0 1 0-3.5-2L2 12.5V14h2v-1.5h1.5V11h1.5l1-1z M11 5.5h.01" />,
};

const filled = new Set<IconName>(['folder', 'file', 'link', 'play']);

/** A 16px icon; decorative unless `label` is given. */
export function Icon({ name, label, className }: { name: IconName; label?: string; className?: string }): JSX.Element {
  return (
    <svg
      className={`icon${className ? ` ${className}` : ''}`}
      width="16"
      height="16"
      viewBox="0 0 16 16"
      fill={name === 'play' ? 'currentColor' : 'none'}
      stroke={filled.has(name) && name !== 'play' ? undefined : 'currentColor'}
      strokeWidth="1.4"
      strokeLinecap="round"
      strokeLinejoin="round"
      role={label ? 'img' : undefined}
      aria-label={label}
      aria-hidden={label ? undefined : true}
    >
      {paths[name]}
    </svg>
  );
}
