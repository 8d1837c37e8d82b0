interface ProgressBarProps {
  label: string;
  value: number;
  max: number;
  /** Spoken instead of a bare percentage, e.g. "3 of 5 created". */
  valueText: string;
  tone?: 'neutral' | 'danger';
}

export function ProgressBar({ label, value, max, valueText, tone = 'neutral' }: ProgressBarProps) {
  const percent = max > 0 ? Math.min(100, (value / max) * 100) : 0;
  return (
    <div
      className={`progress progress-${tone}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={value}
      aria-valuetext={valueText}
    >
      <div className="progress-fill" style={{ width: `${percent}%` }} />
    </div>
  );
}
