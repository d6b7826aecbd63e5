import type { JSX } from 'react';

/** The usual Cancel + submit pair of a dialog whose fields sit in the form `formId`. */
export function FormFooter({ formId, okLabel = 'OK', onCancel, okDisabled }: { formId: string; okLabel?: string; onCancel: () => void; okDisabled?: boolean }): JSX.Element {
  return (
    <>
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" form={formId} className="button primary" disabled={okDisabled}>
        {okLabel}
      </button>
    </>
  );
}
