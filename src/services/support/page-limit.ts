import { ValidationError } from '../../core/errors.js';
import { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT } from '../../core/page-limit.js';

export { DEFAULT_PAGE_LIMIT, MAX_PAGE_LIMIT };
export const PAGE_LIMIT_RULE = `limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}, in decimal digits; follow nextCursor for more.`;

export function pageLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_LIMIT) {
    throw new ValidationError('limit', 'limit_out_of_range', PAGE_LIMIT_RULE);
  }
  return limit;
}
