import { useEffect, useState } from 'react';
import { loadEstimator, type Strength } from '../password-strength';
import { MIN_PASSWORD_LENGTH, MIN_PASSWORD_SCORE } from '../server-rules';

const LEVELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'] as const;

interface PasswordStrengthMeterProps {
  password: string;
  /** Name and local part: a password containing them is easy to guess. */
  identity: string[];
}

export function PasswordStrengthMeter({ password, identity }: PasswordStrengthMeterProps) {
  const [strength, setStrength] = useState<Strength>();
  const inputs = identity.join('\n');
  // An emptied field starts over: the next password is "checking" until its own estimate.
  if (password === '' && strength !== undefined) setStrength(undefined);

  useEffect(() => {
    let current = true;
    if (password === '') return;
    void loadEstimator().then((estimate) => {
      if (current) setStrength(estimate(password, inputs.split('\n').filter(Boolean)));
    });
    return () => {
      current = false;
    };
  }, [password, inputs]);

  const length = [...password].length;
  const short = length > 0 && length < MIN_PASSWORD_LENGTH;
  const score = short ? Math.min(strength?.score ?? 0, 1) : (strength?.score ?? 0);
  const accepted = !short && score >= MIN_PASSWORD_SCORE;
  const message =
    password === ''
      ? `At least ${MIN_PASSWORD_LENGTH} characters; a few unrelated words make a long password easy to remember.`
      : short
        ? `Too short: ${length} of at least ${MIN_PASSWORD_LENGTH} characters.`
        : strength === undefined
          ? 'Checking strength…'
          : `${LEVELS[score] ?? ''}${accepted ? '' : ' — not accepted yet'}. ${strength.advice}`;
  return (
    <div className="strength">
      <div
        className={`strength-bar strength-${password === '' ? 'empty' : score}`}
        aria-hidden="true"
      >
        {LEVELS.map((level, index) => (
          <span key={level} className={index <= score && password !== '' ? 'on' : undefined} />
        ))}
      </div>
      <p className="strength-text">
        <span className="visually-hidden">Password strength: </span>
        {message}
      </p>
    </div>
  );
}
