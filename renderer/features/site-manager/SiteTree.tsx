import { useRef, useState, type DragEvent, type JSX } from 'react';
import type { SiteProfile } from '../../../shared/model/site';
import { Icon } from '../../components/Icon';
import type { SiteFolder } from '../../stores/sites-store';

/** What the tree shows as chosen: a site, a folder ('' = the top, "My sites"), or nothing. */
export type TreeSelection = { readonly kind: 'site'; readonly id: string } | { readonly kind: 'folder'; readonly path: string } | null;

const SITE_DRAG_TYPE = 'application/x-ferry-site';

/** Props of the site tree. */
export interface SiteTreeProps {
  readonly tree: SiteFolder;
  readonly selection: TreeSelection;
  readonly onPickSite: (site: SiteProfile) => void;
  /** Double-click on a site: connect to it. */
  readonly onOpenSite: (site: SiteProfile) => void;
  readonly onPickFolder: (path: string) => void;
  /** A site dropped on a folder ('' = the top). */
  readonly onMoveSite: (siteId: string, folder: string) => void;
}

/**
 * The site manager's tree: "My sites" at the top, folders (selectable, and drop targets for sites
 * dragged onto them) and sites. Double-click connects a site.
 */
export function SiteTree({ tree, selection, onPickSite, onOpenSite, onPickFolder, onMoveSite }: SiteTreeProps): JSX.Element {
  const dragged = useRef<string | null>(null);
  const [dropOn, setDropOn] = useState<string | null>(null);

  const dropProps = (path: string) => ({
    onDragOver: (e: DragEvent) => {
      if (dragged.current === null && !e.dataTransfer.types.includes(SITE_DRAG_TYPE)) return;
      e.preventDefault();
      e.dataTransfer.dropEffect = 'move';
      setDropOn(path);
    },
    onDragLeave: () => setDropOn((p) => (p === path ? null : p)),
    onDrop: (e: DragEvent) => {
      const id = e.dataTransfer.getData(SITE_DRAG_TYPE) || dragged.current;
      dragged.current = null;
      setDropOn(null);
      if (!id) return;
      e.preventDefault();
      onMoveSite(id, path);
    },
  });

  const folderButton = (path: string, name: string, depth: number, isRoot = false): JSX.Element => {
    const current = selection?.kind === 'folder' && selection.path === path;
    return (
      <li key={`f:${path}`} style={{ paddingLeft: depth * 14 + 6 }}>
        <button
          type="button"
          className={`tree-site tree-folder${current ? ' selected' : ''}`}
          aria-current={current ? true : undefined}
          aria-label={isRoot ? 'My sites (top folder)' : `Folder ${path}`}
          style={dropOn === path ? { outline: '2px solid var(--accent, #2f6fde)', outlineOffset: -2 } : undefined}
          onClick={() => onPickFolder(path)}
          {...dropProps(path)}
        >
          <Icon name="folder" /> {name}
        </button>
      </li>
    );
  };

  const renderFolder = (f: SiteFolder, depth: number): JSX.Element[] => [
    ...f.folders.flatMap((sub) => [folderButton(sub.path, sub.name, depth), ...renderFolder(sub, depth + 1)]),
    ...f.sites.map((s) => {
      const current = selection?.kind === 'site' && selection.id === s.id;
      return (
        <li key={s.id} style={{ paddingLeft: depth * 14 + 6 }}>
          <button
            type="button"
            className={`tree-site${current ? ' selected' : ''}`}
            aria-current={current ? true : undefined}
            draggable
            onDragStart={(e) => {
              dragged.current = s.id;
              e.dataTransfer.setData(SITE_DRAG_TYPE, s.id);
              e.dataTransfer.effectAllowed = 'move';
            }}
            onDragEnd={() => {
              dragged.current = null;
              setDropOn(null);
            }}
            onClick={() => onPickSite(s)}
            onDoubleClick={() => onOpenSite(s)}
          >
            <Icon name="server" /> {s.name}
            <span className="dim"> {s.protocol}</span>
          </button>
        </li>
      );
    }),
  ];

  const empty = tree.folders.length === 0 && tree.sites.length === 0;
  return (
    <ul className="site-tree" aria-label="Saved sites">
      {folderButton('', 'My sites', 0, true)}
      {empty ? <li className="dim empty-note">No saved sites yet.</li> : renderFolder(tree, 1)}
    </ul>
  );
}
