import { useState, type JSX } from 'react';
import type { SiteProfile } from '../../../shared/model/site';
import { ContextMenu, type MenuItem } from '../../components/ContextMenu';
import { Icon } from '../../components/Icon';
import { useLocalPane } from '../../stores/panes';
import { useSessionStore } from '../../stores/session-store';
import { useSitesStore } from '../../stores/sites-store';
import { confirmReplaceSession } from './replace-session';

/** Connects a saved site, after asking when that replaces a connected session. */
async function connectTo(site: SiteProfile): Promise<void> {
  if (!(await confirmReplaceSession(`the site “${site.name}”`))) return;
  if (site.localDir) void useLocalPane.getState().navigate(site.localDir);
  await useSessionStore.getState().connectSite(site);
}

/**
 * The site manager button with FileZilla's companion: a drop-down of saved sites that connects
 * one in a click (asking first when a session is connected).
 */
export function SitesButton({ onOpenSites }: { onOpenSites: () => void }): JSX.Element {
  const sites = useSitesStore((s) => s.sites);
  const [menu, setMenu] = useState<{ x: number; y: number } | null>(null);

  const items: MenuItem[] = [
    ...[...sites]
      .sort((a, b) => `${a.folder}/${a.name}`.localeCompare(`${b.folder}/${b.name}`))
      .map((site) => ({
        label: site.folder ? `${site.folder} / ${site.name}` : site.name,
        onSelect: () => void connectTo(site),
      })),
    ...(sites.length > 0 ? [{ separator: true } as const] : []),
    { label: 'Site manager…', onSelect: onOpenSites },
  ];

  return (
    <div className="split-button">
      <button type="button" className="button sites-button" onClick={onOpenSites} title="Site manager (Ctrl+S)">
        <Icon name="sites" /> Sites
      </button>
      <button
        type="button"
        className="button sites-drop"
        aria-label="Connect to a saved site"
        aria-haspopup="menu"
        onClick={(e) => {
          const box = e.currentTarget.getBoundingClientRect();
          void useSitesStore.getState().load();
          setMenu({ x: box.left, y: box.bottom + 4 });
        }}
      >
        ▾
      </button>
      {menu ? <ContextMenu x={menu.x} y={menu.y} items={items} onClose={() => setMenu(null)} /> : null}
    </div>
  );
}
