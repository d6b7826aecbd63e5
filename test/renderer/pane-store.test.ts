import { beforeEach, describe, expect, it } from 'vitest';
import type { Result } from '../../shared/ipc/errors';
import type { Listing, RemoteEntry } from '../../shared/model/remote-entry';
import { createPaneStore, type PaneStore } from '../../renderer/stores/pane-store';
import { summarize, visibleEntries } from '../../renderer/stores/pane-view';

const file = (name: string, size = 1, mtime = 0): RemoteEntry => ({ name, type: 'file', size, mtime, mode: 0o644 });
const dir = (name: string): RemoteEntry => ({ name, type: 'dir', size: 0, mtime: 0, mode: 0o755 });

// A lister over a fixed tree; unknown paths fail the way main reports it.
const tree: Record<string, RemoteEntry[]> = {
  '/': [dir('home'), file('a.txt')],
  '/home': [dir('alice'), file('b.txt', 10), file('c.txt', 5)],
  '/home/alice': [file('.profile')],
};
function lister(path: string): Promise<Result<Listing>> {
  const entries = tree[path];
  return Promise.resolve(entries ? { ok: true, value: { path, entries } } : { ok: false, error: { code: 'no-such-file', message: `${path} does not exist` } });
}

describe('pane store', () => {
  let pane: PaneStore;
  beforeEach(() => {
    pane = createPaneStore(() => lister);
  });

  it('commits a folder only after main listed it, and keeps history', async () => {
    await pane.getState().navigate('/');
    await pane.getState().navigate('/home');
    expect(pane.getState().path).toBe('/home');
    expect(pane.getState().entries.map((e) => e.name)).toEqual(['alice', 'b.txt', 'c.txt']);
    await pane.getState().back();
    expect(pane.getState().path).toBe('/');
    await pane.getState().forward();
    expect(pane.getState().path).toBe('/home');
    await pane.getState().up();
    expect(pane.getState().path).toBe('/');
    expect(pane.getState().history).toEqual(['/', '/home', '/']);
    expect(pane.getState().cursor).toBe('home');
    expect([...pane.getState().selected]).toEqual(['home']);
  });

  it('opens typed relative paths from the current folder, resolving . and .. and trailing slashes', async () => {
    await pane.getState().navigate('/home');
    expect(await pane.getState().navigate('alice/')).toBe(true);
    expect(pane.getState().path).toBe('/home/alice');
    expect(await pane.getState().navigate('../../home/./')).toBe(true);
    expect(pane.getState().path).toBe('/home');
    expect(await pane.getState().navigate('//home//alice/..')).toBe(true);
    expect(pane.getState().path).toBe('/home');
  });

  it('stays where it was and shows the error when listing fails', async () => {
    await pane.getState().navigate('/home');
    expect(await pane.getState().navigate('/nope')).toBe(false);
    expect(pane.getState().path).toBe('/home');
    expect(pane.getState().error).toEqual({ code: 'no-such-file', message: '/nope does not exist' });
    expect(pane.getState().loading).toBe(false);
  });

  it('does nothing without a lister (remote pane without a session)', async () => {
    const none = createPaneStore(() => null);
    expect(await none.getState().navigate('/')).toBe(false);
    expect(none.getState().path).toBe('');
  });

  it('selects with click, ctrl-click and shift-click', async () => {
    await pane.getState().navigate('/home');
    const order = ['alice', 'b.txt', 'c.txt'];
    pane.getState().select('alice', 'single', order);
    pane.getState().select('c.txt', 'range', order);
    expect([...pane.getState().selected]).toEqual(order);
    pane.getState().select('b.txt', 'toggle', order);
    expect([...pane.getState().selected].sort()).toEqual(['alice', 'c.txt']);
    pane.getState().select('b.txt', 'single', order);
    expect([...pane.getState().selected]).toEqual(['b.txt']);
  });

  it('keeps the selection of entries that survive a refresh, clears it on a folder change', async () => {
    await pane.getState().navigate('/home');
    pane.getState().setSelection(['b.txt'], 'b.txt');
    await pane.getState().refresh();
    expect([...pane.getState().selected]).toEqual(['b.txt']);
    await pane.getState().navigate('/home/alice');
    expect(pane.getState().selected.size).toBe(0);
  });

  it('drops rows the filter or the hidden-files switch hides from the selection and the cursor', async () => {
    await pane.getState().navigate('/home');
    pane.getState().setSelection(['alice', 'b.txt', 'c.txt'], 'c.txt');
    pane.getState().setFilter('b');
    expect([...pane.getState().selected]).toEqual(['b.txt']);
    expect(pane.getState().cursor).toBeNull();
    // Clearing the filter shows the rows again but does not select them again.
    pane.getState().setFilter('');
    expect([...pane.getState().selected]).toEqual(['b.txt']);
    // A name selected by an action (a rename) that the filter hides is not selected either.
    pane.getState().setFilter('c');
    pane.getState().setSelection(['b.txt', 'c.txt'], 'b.txt');
    expect([...pane.getState().selected]).toEqual(['c.txt']);
    expect(pane.getState().cursor).toBeNull();

    await pane.getState().navigate('/home/alice');
    pane.getState().toggleHidden();
    pane.getState().setSelection(['.profile'], '.profile');
    pane.getState().toggleHidden();
    expect(pane.getState().selected.size).toBe(0);
    expect(pane.getState().cursor).toBeNull();
  });

  it('keeps filtered-out rows unselected through a refresh', async () => {
    await pane.getState().navigate('/home');
    pane.getState().setFilter('c');
    pane.getState().setSelection(['c.txt'], 'c.txt');
    pane.setState({ selected: new Set(['b.txt', 'c.txt']) });
    await pane.getState().refresh();
    expect([...pane.getState().selected]).toEqual(['c.txt']);
    expect(pane.getState().cursor).toBe('c.txt');
  });

  it('ignores an older listing that arrives after a newer one', async () => {
    let release!: () => void;
    const slow = createPaneStore(() => (path) =>
      path === '/slow' ? new Promise((r) => (release = () => r({ ok: true, value: { path, entries: [] } }))) : lister(path),
    );
    const first = slow.getState().navigate('/slow');
    await slow.getState().navigate('/home');
    release();
    await first;
    expect(slow.getState().path).toBe('/home');
  });
});

describe('visible entries', () => {
  const entries = [file('b.txt', 10, 2), dir('zeta'), file('.hidden'), file('A.txt', 30, 1), dir('alpha'), file('file10'), file('file9')];

  it('puts folders first, sorts names naturally and hides dotfiles', () => {
    const rows = visibleEntries(entries, { sort: { key: 'name', dir: 'asc' }, filter: '', showHidden: false });
    expect(rows.map((e) => e.name)).toEqual(['alpha', 'zeta', 'A.txt', 'b.txt', 'file9', 'file10']);
  });

  it('sorts by size descending with folders still first, and filters case-insensitively', () => {
    const rows = visibleEntries(entries, { sort: { key: 'size', dir: 'desc' }, filter: 'T', showHidden: true });
    expect(rows.map((e) => e.name)).toEqual(['zeta', 'A.txt', 'b.txt']);
  });

  it('takes a filter with * or ? as a pattern for the whole name', () => {
    const names = (filter: string): string[] => visibleEntries(entries, { sort: { key: 'name', dir: 'asc' }, filter, showHidden: true }).map((e) => e.name);
    expect(names('*.TXT')).toEqual(['A.txt', 'b.txt']);
    expect(names('file?')).toEqual(['file9']);
    expect(names('file*')).toEqual(['file9', 'file10']);
    expect(names('?.txt')).toEqual(['A.txt', 'b.txt']);
    // Without wildcards it is text anywhere in the name; regex characters are plain characters.
    expect(names('ile1')).toEqual(['file10']);
    expect(names('a*a')).toEqual(['alpha']);
    expect(names('(*')).toEqual([]);
    expect(names('.*')).toEqual(['.hidden']);
  });

  it('goes to the home folder for "~" when the pane knows one', async () => {
    const pane = createPaneStore(() => lister, () => '/home/alice');
    await pane.getState().navigate('/');
    expect(await pane.getState().navigate('~')).toBe(true);
    expect(pane.getState().path).toBe('/home/alice');
  });

  it('sums the status line', () => {
    expect(summarize(entries)).toEqual({ files: 5, dirs: 2, bytes: 43 });
  });
});

describe('sorting large listings', () => {
  const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
  // Names the collator never finds equal, in a scrambled order, with folders among them.
  const words = ['Report', 'photo', 'IMG_', 'data-', 'Backup ', 'notes', 'zeta', 'Äpfel', 'éclair'];
  const entries: RemoteEntry[] = Array.from({ length: 5000 }, (_, i) => {
    const n = (i * 7919) % 5000;
    const name = `${words[n % words.length]}${n}${n % 3 ? '.jpg' : '.txt'}`;
    return n % 10 === 0 ? dir(name) : file(name, (n * 31) % 977, n * 1000);
  });
  const reference = (key: 'name' | 'size', sign: 1 | -1) =>
    [...entries]
      .sort((a, b) => {
        if ((a.type === 'dir') !== (b.type === 'dir')) return a.type === 'dir' ? -1 : 1;
        const c = key === 'size' ? a.size - b.size : collator.compare(a.name, b.name);
        return c !== 0 ? c * sign : collator.compare(a.name, b.name) * sign;
      })
      .map((e) => e.name);

  it('gives exactly the collator order, folders first, for every key and direction', () => {
    for (const [key, dirn] of [['name', 'asc'], ['name', 'desc'], ['size', 'asc'], ['size', 'desc']] as const) {
      const rows = visibleEntries(entries, { sort: { key, dir: dirn }, filter: '', showHidden: true });
      expect(rows.map((e) => e.name), `${key} ${dirn}`).toEqual(reference(key, dirn === 'asc' ? 1 : -1));
    }
    const names = visibleEntries(entries, { sort: { key: 'name', dir: 'asc' }, filter: '', showHidden: true }).map((e) => e.name);
    expect(names.indexOf('photo28.jpg')).toBeGreaterThanOrEqual(0);
    expect(names.indexOf('photo28.jpg')).toBeLessThan(names.indexOf('photo109.jpg'));
  });
});
