// mailauth types only its public entry points; this is the tag=value parser (RFC 6376 §3.2)
// its DKIM, DMARC and BIMI code shares, which src/dns uses for DKIM and DMARC records.
declare module 'mailauth/lib/tools.js' {
  export interface TagValueParse {
    /** Lowercased tag names; a repeated tag is an error when `allowDuplicateKeys` is false. */
    tags: Record<string, string | string[]>;
    errors: string[];
    warnings: string[];
    isValid: boolean;
  }
  export function parseTagValueRecord(
    record: string,
    options?: {
      requiredTags?: string[];
      allowedTags?: string[] | null;
      caseSensitive?: boolean;
      strictMode?: boolean;
      allowDuplicateKeys?: boolean;
    },
  ): TagValueParse;
}
