import { useState, type JSX } from 'react';
import { Dialog } from '../../components/Dialog';
import { FormFooter } from '../../components/FormFooter';
import { Icon } from '../../components/Icon';
import { formatMode, formatOctal } from '../../lib/format';
import { CHMOD_RECURSE, type ChmodRecurse } from '../../../shared/model/chmod';
import { useDialogStore, type ModeChoice, type UiDialog } from '../../stores/dialog-store';

/** Renders the UI's own dialog (confirm, text input, permissions) and resolves its promise. */
export function UiDialogHost(): JSX.Element | null {
  const current = useDialogStore((s) => s.current);
  const close = useDialogStore((s) => s.close);
  if (!current) return null;
  switch (current.kind) {
    case 'confirm':
      return <ConfirmDialog dialog={current} close={close} />;
    case 'input':
      return <InputDialog key={current.title + current.initial} dialog={current} close={close} />;
    case 'chmod':
      return <ChmodDialog dialog={current} close={close} />;
  }
}

function ConfirmDialog({ dialog, close }: { dialog: Extract<UiDialog, { kind: 'confirm' }>; close: () => void }): JSX.Element {
  const done = (ok: boolean): void => {
    close();
    dialog.resolve(ok);
  };
  return (
    <Dialog
      title={dialog.title}
      tone={dialog.danger ? 'danger' : 'normal'}
      icon={dialog.danger ? <Icon name="warning" className="dialog-icon" /> : undefined}
      onCancel={() => done(false)}
      footer={
        <>
          <button type="button" className="button" data-autofocus onClick={() => done(false)}>
            Cancel
          </button>
          <button type="button" className={`button ${dialog.danger ? 'danger' : 'primary'}`} onClick={() => done(true)}>
            {dialog.confirmLabel}
          </button>
        </>
      }
    >
      <p>{dialog.message}</p>
    </Dialog>
  );
}

function InputDialog({ dialog, close }: { dialog: Extract<UiDialog, { kind: 'input' }>; close: () => void }): JSX.Element {
  const [value, setValue] = useState(dialog.initial);
  const [touched, setTouched] = useState(false);
  const problem = dialog.validate?.(value) ?? null;
  const done = (v: string | null): void => {
    close();
    dialog.resolve(v);
  };
  return (
    <Dialog
      title={dialog.title}
      onCancel={() => done(null)}
      footer={<FormFooter formId="ui-input-form" okLabel={dialog.confirmLabel} okDisabled={problem !== null} onCancel={() => done(null)} />}
    >
      <form
        id="ui-input-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (problem === null) done(value);
        }}
      >
        <label className="field">
          <span>{dialog.label}</span>
          <input
            value={value}
            spellCheck={false}
            onFocus={(e) => {
              const dot = e.target.value.lastIndexOf('.');
              e.target.setSelectionRange(0, dot > 0 ? dot : e.target.value.length);
            }}
            onChange={(e) => {
              setTouched(true);
              setValue(e.target.value);
            }}
          />
        </label>
        {touched && problem ? <p className="field-error">{problem}</p> : null}
      </form>
    </Dialog>
  );
}

const WHO = ['Owner', 'Group', 'Others'] as const;
const WHAT = [
  ['Read', 4],
  ['Write', 2],
  ['Execute', 1],
] as const;

function ChmodDialog({ dialog, close }: { dialog: Extract<UiDialog, { kind: 'chmod' }>; close: () => void }): JSX.Element {
  const [mode, setMode] = useState(dialog.initial & 0o7777);
  const [octal, setOctal] = useState(formatOctal(dialog.initial));
  const [recurse, setRecurse] = useState<ChmodRecurse | null>(null);
  const done = (v: ModeChoice | null): void => {
    close();
    dialog.resolve(v);
  };
  const setBits = (m: number): void => {
    setMode(m);
    setOctal(formatOctal(m));
  };
  return (
    <Dialog
      title={dialog.title}
      onCancel={() => done(null)}
      footer={
        <>
          <button type="button" className="button" onClick={() => done(null)}>
            Cancel
          </button>
          <button type="button" className="button primary" onClick={() => done(recurse ? { mode, recurse } : { mode })}>
            Apply
          </button>
        </>
      }
    >
      <table className="chmod-grid">
        <thead>
          <tr>
            <th />
            {WHAT.map(([w]) => (
              <th key={w}>{w}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {WHO.map((who, i) => {
            const shift = (2 - i) * 3;
            return (
              <tr key={who}>
                <th scope="row">{who}</th>
                {WHAT.map(([w, bit]) => {
                  const mask = bit << shift;
                  return (
                    <td key={w}>
                      <input type="checkbox" aria-label={`${who} ${w.toLowerCase()}`} checked={(mode & mask) !== 0} onChange={() => setBits(mode ^ mask)} />
                    </td>
                  );
                })}
              </tr>
            );
          })}
        </tbody>
      </table>
      <label className="field inline">
        <span>Numeric value</span>
        <input
          aria-label="Numeric value"
          value={octal}
          maxLength={4}
          className="mono"
          onChange={(e) => {
            setOctal(e.target.value);
            if (/^[0-7]{3,4}$/.test(e.target.value)) setMode(parseInt(e.target.value, 8));
          }}
        />
        <span className="mono dim">{formatMode(mode)}</span>
      </label>
      {dialog.folders && <RecurseChoice value={recurse} onChange={setRecurse} />}
    </Dialog>
  );
}

const RECURSE_LABELS: Record<ChmodRecurse, string> = {
  all: 'Apply to all files and folders',
  files: 'Apply to files only',
  folders: 'Apply to folders only',
};

/** FileZilla's "Recurse into subdirectories" with its three scopes; links are never touched. */
function RecurseChoice({ value, onChange }: { value: ChmodRecurse | null; onChange: (v: ChmodRecurse | null) => void }): JSX.Element {
  const [scope, setScope] = useState<ChmodRecurse>(value ?? 'all');
  return (
    <fieldset className="chmod-recurse">
      <label className="check">
        <input type="checkbox" checked={value !== null} onChange={(e) => onChange(e.target.checked ? scope : null)} />
        Recurse into subfolders
      </label>
      {CHMOD_RECURSE.map((r) => (
        <label key={r} className={`check indent${value === null ? ' dim' : ''}`}>
          <input
            type="radio"
            name="chmod-recurse"
            disabled={value === null}
            checked={scope === r}
            onChange={() => {
              setScope(r);
              onChange(r);
            }}
          />
          {RECURSE_LABELS[r]}
        </label>
      ))}
      <p className="dim">Symbolic links are left alone and not followed.</p>
    </fieldset>
  );
}
