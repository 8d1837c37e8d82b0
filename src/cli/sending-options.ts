import { InvalidArgumentError, type Command } from 'commander';
import {
  SEND_LIMIT_RANGE,
  WARMUP_INCREMENT_RANGE,
  WARMUP_LIMIT_RANGE,
  type SendingInput,
} from '../core/sending.js';
import { numberArg, usageError } from './args.js';

export interface SendingOptions {
  dailyLimit?: number;
  hourlyLimit?: number;
  warmup?: [number, number, number] | false;
  warmupStart?: string;
}

/** `10,3,40` (or `10:3:40`): the ramp's start, daily increment and ceiling; the service checks the ranges. */
function warmupArg(value: string): [number, number, number] {
  const parts = value.split(/[,:]/).map((p) => numberArg(p));
  if (parts.length !== 3) {
    throw new InvalidArgumentError('Enter start,increment,max, e.g. 10,3,40.');
  }
  return parts as [number, number, number];
}

/**
 * The sending policy flags every command that sets one shares (`mailbox add`, `bulk`, `spread`,
 * `set-sending`, `bulk-set-sending`), their ranges from core. `unset` says what a flag left out
 * means there: the account's default for a new mailbox, the current value for a change.
 */
export const withSendingOptions = (command: Command, unset: string): Command =>
  command
    .option(
      '--daily-limit <n>',
      `recipients per UTC day, ${SEND_LIMIT_RANGE[0]}–${SEND_LIMIT_RANGE[1]} (0 stops sending; default: ${unset})`,
      numberArg,
    )
    .option(
      '--hourly-limit <n>',
      `recipients per rolling hour, ${SEND_LIMIT_RANGE[0]}–${SEND_LIMIT_RANGE[1]} (default: ${unset})`,
      numberArg,
    )
    .option(
      '--warmup <start,increment,max>',
      `a ramp: day-0 allowance (${WARMUP_LIMIT_RANGE[0]}–${WARMUP_LIMIT_RANGE[1]}), added per UTC day (${WARMUP_INCREMENT_RANGE[0]}–${WARMUP_INCREMENT_RANGE[1]}), ceiling; e.g. 10,3,40 (default: ${unset})`,
      warmupArg,
    )
    .option('--warmup-start <date>', 'the ramp’s day 0, YYYY-MM-DD (UTC; default today)')
    .option('--no-warmup', 'no ramp');

/** The `sending` object of a request from the flags; undefined when none was given. */
export function sendingFromOptions(opts: SendingOptions, cmd: Command): SendingInput | undefined {
  const sending: SendingInput = {};
  if (opts.dailyLimit !== undefined) sending.dailyLimit = opts.dailyLimit;
  if (opts.hourlyLimit !== undefined) sending.hourlyLimit = opts.hourlyLimit;
  if (opts.warmup === false) sending.warmup = null;
  if (Array.isArray(opts.warmup)) {
    const [start, increment, max] = opts.warmup;
    sending.warmup = {
      start,
      increment,
      max,
      ...(opts.warmupStart ? { startDate: opts.warmupStart } : {}),
    };
  } else if (opts.warmupStart) {
    usageError(cmd, '--warmup-start goes with --warmup <start,increment,max>.');
  }
  return Object.keys(sending).length === 0 ? undefined : sending;
}
