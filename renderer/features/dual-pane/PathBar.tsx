import { useEffect, useRef, useState, type JSX } from 'react';
import { breadcrumbs } from '../../lib/paths';

/** The path bar: breadcrumbs to click, or a text field to type a path (click the bar or Ctrl+L). */
export function PathBar({ path, label, onNavigate, editRequest, editable }: { path: string; label: string; onNavigate: (path: string) => void; editRequest: number; editable: boolean }): JSX.Element {
  const [editing, setEditing] = useState(false);
  const [text, setText] = useState(path);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (editRequest > 0) {
      setText(path);
      setEditing(true);
    }
    // Only a new edit request opens the field, not a path change.
  }, [editRequest]);

  useEffect(() => {
    if (editing) inputRef.current?.select();
  }, [editing]);

  if (editing) {
    return (
      <form
        className="path-bar editing"
        onSubmit={(e) => {
          e.preventDefault();
          setEditing(false);
          if (text.trim()) onNavigate(text.trim());
        }}
      >
        <input
          ref={inputRef}
          aria-label={`${label} path`}
          value={text}
          spellCheck={false}
          onChange={(e) => setText(e.target.value)}
          onBlur={() => setEditing(false)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') {
              e.stopPropagation();
              setEditing(false);
            }
          }}
        />
      </form>
    );
  }

  const crumbs = path ? breadcrumbs(path) : [];
  return (
    <div
      className="path-bar"
      onClick={(e) => {
        if (e.target === e.currentTarget && editable) {
          setText(path);
          setEditing(true);
        }
      }}
    >
      <nav aria-label={`${label} breadcrumbs`} className="crumbs">
        {crumbs.map((c, i) => (
          <span key={c.path} className="crumb">
            {i > 1 ? <span className="crumb-sep" aria-hidden="true">/</span> : null}
            <button type="button" onClick={() => onNavigate(c.path)} aria-current={i === crumbs.length - 1 ? 'location' : undefined}>
              {c.label}
            </button>
          </span>
        ))}
      </nav>
      <button
        type="button"
        className="path-edit"
        aria-label={`Edit ${label} path`}
        title="Type a path (Ctrl+L)"
        disabled={!editable}
        onClick={() => {
          setText(path);
          setEditing(true);
        }}
      >
        ✎
      </button>
    </div>
  );
}
