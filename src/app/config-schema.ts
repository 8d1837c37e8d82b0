/**
 * The machinery of the configuration schema (config-variables.ts holds the variables): how a
 * variable is described, read and refused. Every variable is read the same way, so every bad
 * value fails start-up with the same kind of message, naming the variable and what it accepts.
 */

/** Who uses a variable's value: the API server, CLI commands, `mailwright mailstack`. */
export type Use = 'server' | 'CLI' | 'mailstack';

export interface Variable<T> {
  /** Completes "MAILWRIGHT_… must be": README's "accepts" column, and the start-up error. */
  accepts: string;
  /** What the value does, for README's table. */
  description: string;
  /** README's default column: the default value in backticks, or words for a computed one. */
  shownDefault: string;
  usedBy: readonly Use[];
  /** A value the variable accepts and one it refuses: the tests' probes of every variable. */
  example: string;
  bad: string;
  /** Holds a password or key: an error never repeats the value. */
  secret: boolean;
  /** Reads a set value (trimmed, not empty); throws BadValue when the value breaks the rule. */
  parse(value: string): T;
  /** The value when the variable is unset or empty. */
  unset(): T;
}

/**
 * Thrown by a parser: the value breaks the variable's rule. Without a message, the error says
 * "must be <accepts>"; a message is the rest of a sentence that starts with the variable's name,
 * for a rule that needs more words (which item of a list is wrong, how many are too many).
 */
export class BadValue extends Error {}

/** One or more variables with bad values: what start-up fails with, one line per variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

/** How a kind of value is read: its rule in words, its parser and a value it refuses. */
export interface Kind<T> {
  accepts: string;
  bad: string;
  parse(value: string): T;
}

/** What every variable says of itself, besides its kind and its default. */
interface About {
  description: string;
  usedBy: readonly Use[];
  example: string;
  secret?: boolean;
}

/**
 * A variable whose default is written as a value (`'30'`, `'127.0.0.1:8025'`): it is read by
 * the same parser as a set value, and README shows it as it would be typed.
 */
export function withDefault<T>(kind: Kind<T>, about: About & { default: string }): Variable<T> {
  return {
    ...described(kind, about),
    shownDefault: `\`${about.default}\``,
    unset: () => kind.parse(about.default),
  };
}

/** A variable whose default depends on the machine (its hostname, its cores). */
export function withComputedDefault<T>(
  kind: Kind<T>,
  about: About & { default: () => T; shown: string },
): Variable<T> {
  return { ...described(kind, about), shownDefault: about.shown, unset: about.default };
}

/** A variable that may stay unset; `shown` says what happens then (default: "none"). */
export function optional<T>(
  kind: Kind<T>,
  about: About & { shown?: string },
): Variable<T | undefined> {
  return {
    ...described(kind, about),
    shownDefault: about.shown ?? 'none',
    unset: () => undefined,
  };
}

function described<T>(kind: Kind<T>, about: About) {
  return {
    accepts: kind.accepts,
    bad: kind.bad,
    parse: kind.parse,
    description: about.description,
    usedBy: about.usedBy,
    example: about.example,
    secret: about.secret ?? false,
  };
}

export type Values<V extends Record<string, Variable<unknown>>> = {
  [K in keyof V]: V[K] extends Variable<infer T> ? T : never;
};

// A control character is never part of a path, host, address or key: it is a paste or editing
// accident (a tab, an escape sequence), refused rather than carried into a file name.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Every variable's value from `env`: empty counts as unset (a line `NAME=` in an env file), a
 * set value is trimmed, and every bad value is reported at once.
 */
export function readVariables<V extends Record<string, Variable<unknown>>>(
  variables: V,
  env: Readonly<Record<string, string | undefined>>,
): Values<V> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, variable] of Object.entries(variables)) {
    const value = env[name]?.trim();
    if (!value) {
      values[name] = variable.unset();
      continue;
    }
    try {
      if (CONTROL.test(value)) throw new BadValue();
      values[name] = variable.parse(value);
    } catch (error) {
      if (!(error instanceof BadValue)) throw error;
      problems.push(refusal(name, variable, value, error.message));
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return values as Values<V>;
}

function refusal(name: string, variable: Variable<unknown>, value: string, detail: string) {
  if (detail) return `${name} ${detail}`;
  const got = variable.secret ? '' : `; got ${JSON.stringify(value)}`;
  return `${name} must be ${variable.accepts}${got}.`;
}

/** Whole numbers within a range, written in decimal digits. */
export function wholeNumber(min: number, max: number): Kind<number> {
  return {
    accepts: `a whole number from ${min} to ${max}`,
    bad: 'abc',
    parse(value) {
      const number = Number(value);
      if (!/^\d+$/.test(value) || number < min || number > max) throw new BadValue();
      return number;
    },
  };
}

/** One of a few words, in any case. */
export function oneOf<T extends string>(values: readonly T[]): Kind<T> {
  const accepts =
    values.length === 2 ? `${values[0]} or ${values[1]}` : `one of ${values.join(', ')}`;
  return {
    accepts,
    bad: 'bogus',
    parse(value) {
      const word = value.toLowerCase();
      if (!(values as readonly string[]).includes(word)) throw new BadValue();
      return word as T;
    },
  };
}

/** Free text (a path, a name, a key): any value without control characters. */
export function text(accepts: string): Kind<string> {
  return { accepts, bad: 'tab\there', parse: (value) => value };
}
