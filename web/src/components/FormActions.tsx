import { Link } from './Link';

/** A form's submit button (disabled while it works) and a Cancel that goes back to `cancelTo`. */
export function FormActions(props: {
  label: string;
  busyLabel: string;
  busy: boolean;
  cancelTo: string;
}) {
  return (
    <div className="form-actions">
      <button type="submit" className="button button-primary" disabled={props.busy}>
        {props.busy ? props.busyLabel : props.label}
      </button>
      <Link to={props.cancelTo} className="button button-secondary">
        Cancel
      </Link>
    </div>
  );
}
