import { useEffect, useState } from 'react';
import { Icon } from './Icon';

/**
 * The Clipboard API exists only in secure contexts (HTTPS or localhost); a console reached over
 * plain HTTP on a LAN falls back to the older selection copy.
 */
async function copyText(text: string): Promise<void> {
  if (window.isSecureContext && navigator.clipboard) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.className = 'visually-hidden';
  document.body.append(area);
  area.select();
  const copied = document.execCommand('copy');
  area.remove();
  if (!copied) throw new Error('copy refused');
}

interface CopyButtonProps {
  value: string;
  /** What is copied, for the accessible name: "Copy {what}". */
  what: string;
}

export function CopyButton({ value, what }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state === 'idle') return;
    const timer = window.setTimeout(() => setState('idle'), 2000);
    return () => window.clearTimeout(timer);
  }, [state]);

  return (
    <span className="copy">
      <button
        type="button"
        className="button button-small button-ghost"
        aria-label={`Copy ${what}`}
        onClick={() => {
          copyText(value).then(
            () => setState('copied'),
            () => setState('failed'),
          );
        }}
      >
        <Icon name={state === 'copied' ? 'check' : 'copy'} />
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span className="visually-hidden" aria-live="polite">
        {state === 'copied' ? `Copied ${what}` : ''}
        {state === 'failed' ? `Could not copy ${what}; select it and copy it by hand` : ''}
      </span>
    </span>
  );
}
