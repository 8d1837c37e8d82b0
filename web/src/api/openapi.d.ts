// Generated from openapi.json by `npm run openapi`; do not edit.
export interface paths {
    "/v1/domains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List root domains and sub-domains in name order */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description 1–500, default 100 */
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Domain"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Add a root domain (hostname only, e.g. example.com) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Root hostname only, e.g. example.com — no https:// or www. */
                        name: string;
                        /** @description Mailbox slots, 1–100; default: the account's maxMailboxesPerDomain */
                        mailboxLimit?: number;
                        /**
                         * @description Storage pool shared by its mailboxes, default 10240
                         * @default 10240
                         */
                        quotaMb?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Domain"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Domain name, Unicode or A-label */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Domain"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Remove a domain that has no sub-domains or mailboxes */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Domain name, Unicode or A-label */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Resize a domain's mailbox slots or storage pool, set a root's redirect, set its relay */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Domain name, Unicode or A-label */
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        mailboxLimit?: number;
                        quotaMb?: number;
                        /** @description Root domains: an https URL (no user name or password) the domain and www. answer with 301; null removes it. Needs the server's web address (MAILWRIGHT_WEB_IPV4/IPV6/CNAME) */
                        redirectTo?: string | null;
                        /** @description Root domains: the host name track.<domain> is a CNAME to (an email tool's click tracking); null removes it */
                        trackingCname?: string | null;
                        /** @description The relay mail from the hostname's addresses leaves through, as [host]:port (e.g. [smtp.relay.example]:587): one the server offers (MAILWRIGHT_DOMAIN_RELAYS or its own relay; another is 422 relay_not_offered), with the operator's login for it. A sub-domain without one follows its root's; null removes it */
                        relayHost?: string | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Domain"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/domains/bulk-delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Delete up to 10 domains as a job (one request per 5 minutes) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        names: string[];
                        /** @description Also delete their sub-domains and mailboxes */
                        cascade?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job: components["schemas"]["Job"];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add many root domains: one per line; each name gets its own result
         * @description Each name is added as by POST /v1/domains, with the same codes and hints, until the account's maxDomains is reached; a refused name never blocks the others.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description At most 100 domain names, as lines of one string or as an array */
                        names: string | string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created: components["schemas"]["Domain"][];
                            rejected: {
                                /** @description The line as typed */
                                name: string;
                                code: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{name}/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Look up the ownership TXT record and mark the domain verified; 409 domain_taken when another account verified it first, 410 when the claim lapsed */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Domain name, Unicode or A-label */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Domain"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Verify many domains as a job: the listed ones, or every pending one
         * @description Each domain's TXT lookup is its own result: the job's errors name those that failed, with the single verify's code and hint (verification_failed, domain_taken, claim_expired).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Domain names, Unicode or A-label; or leave out and send pending: true */
                        names?: string[];
                        /** @description Every domain waiting to be verified */
                        pending?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job: components["schemas"]["Job"];
                            /** @description The job's domains; each one is done unless the job's errors name it */
                            domains: string[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{name}/subdomains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add sub-domains: one label per line; each label gets its own result */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Domain name, Unicode or A-label */
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description At most 100 sub-domain labels, as lines of one string or as an array */
                        labels: string | string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created: components["schemas"]["Domain"][];
                            rejected: {
                                label: string;
                                code: string;
                                message: string;
                            }[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mailboxes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List mailboxes in address order, optionally by domain or address prefix */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description 1–500, default 100 */
                    limit?: number;
                    domain?: string;
                    /** @description Address prefix, e.g. "jo" or "josh@sales." */
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Mailbox"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create one mailbox (mode single), a batch from a persona name (mode bulk, as a job) or personas spread over domains (mode spread, as a job)
         * @description Single: 201 with the mailbox and a generated password, shown once. Bulk and spread: 202 with the job; with dryRun 200 with a preview; a repeated Idempotency-Key with the same body: 200 with the same job.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Bulk and spread only: makes retries safe for 24 h */
                    "idempotency-key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @enum {string} */
                        mode: "single";
                        /** @description A real person's name, e.g. "Josh Smith" (not "Admin") */
                        name: string;
                        /** @description The part before @ */
                        localPart: string;
                        /** @description A verified root domain or sub-domain of this account */
                        domain: string;
                        /** @description { "generate": true } for a random password shown once, or { "generate": false, "value": "…" } */
                        password: {
                            /** @enum {boolean} */
                            generate: true;
                        } | {
                            /** @enum {boolean} */
                            generate: false;
                            value?: string;
                        };
                        /**
                         * @description 10–102400, default 1024
                         * @default 1024
                         */
                        quotaMb?: number;
                        /** @description Sending limits; what is left out keeps its value (on creation: the account's default) */
                        sending?: {
                            /** @description Recipients per UTC day (0 stops sending) */
                            dailyLimit?: number;
                            /** @description Recipients per rolling hour */
                            hourlyLimit?: number;
                            /** @description null removes the warm-up */
                            warmup?: {
                                /** @description Recipients on day 0 */
                                start: number;
                                /** @description Added each UTC day */
                                increment: number;
                                /** @description Where the ramp stops (≥ start) */
                                max: number;
                                /** @description Day 0 as a UTC date, YYYY-MM-DD; default today */
                                startDate?: string;
                            } | null;
                        };
                    } | {
                        /** @enum {string} */
                        mode: "bulk";
                        /** @description The persona whose name the addresses are made from, e.g. "Josh Smith" */
                        name: string;
                        /** @description A verified root domain or sub-domain of this account */
                        domain: string;
                        /** @description Number of mailboxes, at most the account's maxBulkCount */
                        count: number;
                        /** @description { "generate": true } for a random password shown once, or { "generate": false, "value": "…" } */
                        password: {
                            /** @enum {boolean} */
                            generate: true;
                        } | {
                            /** @enum {boolean} */
                            generate: false;
                            value?: string;
                        };
                        /**
                         * @description Per mailbox: 10–102400, default 1024
                         * @default 1024
                         */
                        quotaMb?: number;
                        /** @description Each mailbox's sending limits */
                        sending?: {
                            /** @description Recipients per UTC day (0 stops sending) */
                            dailyLimit?: number;
                            /** @description Recipients per rolling hour */
                            hourlyLimit?: number;
                            /** @description null removes the warm-up */
                            warmup?: {
                                /** @description Recipients on day 0 */
                                start: number;
                                /** @description Added each UTC day */
                                increment: number;
                                /** @description Where the ramp stops (≥ start) */
                                max: number;
                                /** @description Day 0 as a UTC date, YYYY-MM-DD; default today */
                                startDate?: string;
                            } | null;
                        };
                        /** @description true: answer with the exact addresses and limits, write nothing */
                        dryRun?: boolean;
                        /** @description Roll out in waves of `size` mailboxes, `intervalMinutes` apart */
                        stages?: {
                            size: number;
                            intervalMinutes: number;
                        };
                    } | {
                        /** @enum {string} */
                        mode: "spread";
                        /** @description Verified root domains or sub-domains of this account, each once */
                        domains: string[];
                        personas: {
                            /** @description A real person's name, e.g. "Josh Smith" */
                            name: string;
                        }[];
                        /** @description Mailboxes per domain, at most the number of personas: the list is walked in order, perDomain at a time, wrapping round, so domain i gets personas i·perDomain … (mod the list) */
                        perDomain: number;
                        /** @description { "generate": true } for a random password shown once, or { "generate": false, "value": "…" } */
                        password: {
                            /** @enum {boolean} */
                            generate: true;
                        } | {
                            /** @enum {boolean} */
                            generate: false;
                            value?: string;
                        };
                        /**
                         * @description Per mailbox: 10–102400, default 1024
                         * @default 1024
                         */
                        quotaMb?: number;
                        /** @description Each mailbox's sending limits */
                        sending?: {
                            /** @description Recipients per UTC day (0 stops sending) */
                            dailyLimit?: number;
                            /** @description Recipients per rolling hour */
                            hourlyLimit?: number;
                            /** @description null removes the warm-up */
                            warmup?: {
                                /** @description Recipients on day 0 */
                                start: number;
                                /** @description Added each UTC day */
                                increment: number;
                                /** @description Where the ramp stops (≥ start) */
                                max: number;
                                /** @description Day 0 as a UTC date, YYYY-MM-DD; default today */
                                startDate?: string;
                            } | null;
                        };
                        /** @description true: answer with the exact addresses per domain and limits, write nothing */
                        dryRun?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            preview: {
                                /** @description Exactly the addresses the request would create */
                                addresses: string[];
                                /** @description Where the limits would stand once the batch is created */
                                limits: {
                                    maxBulkCount: {
                                        max: number;
                                        requested: number;
                                    };
                                    mailboxesPerDomain: {
                                        usage: number;
                                        max: number;
                                        after: number;
                                        domain: string;
                                    };
                                    domainQuotaMb: {
                                        usage: number;
                                        max: number;
                                        after: number;
                                        domain: string;
                                    };
                                    mailboxesPerHour: {
                                        usage: number;
                                        max: number;
                                        after: number;
                                    };
                                    cooldown: {
                                        active: boolean;
                                        retryAt: string | null;
                                        seconds: number;
                                        startsAfterThis: boolean;
                                    };
                                };
                            };
                        } | {
                            preview: {
                                /** @description Every address the request would create, in job order */
                                addresses: string[];
                                /** @description Each domain's addresses, slots and storage pool once the batch is created */
                                domains: {
                                    domain: string;
                                    addresses: string[];
                                    mailboxesPerDomain: {
                                        usage: number;
                                        max: number;
                                        after: number;
                                        domain: string;
                                    };
                                    domainQuotaMb: {
                                        usage: number;
                                        max: number;
                                        after: number;
                                        domain: string;
                                    };
                                }[];
                                limits: {
                                    maxBulkCount: {
                                        max: number;
                                        requested: number;
                                    };
                                    mailboxesPerHour: {
                                        usage: number;
                                        max: number;
                                        after: number;
                                    };
                                    cooldown: {
                                        active: boolean;
                                        retryAt: string | null;
                                        seconds: number;
                                        startsAfterThis: boolean;
                                    };
                                };
                            };
                        } | {
                            job: components["schemas"]["Job"];
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            mailbox: components["schemas"]["Mailbox"];
                            /** @description Only when generated: shown once, never retrievable again */
                            password?: string;
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job: components["schemas"]["Job"];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mailboxes/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import mailboxes from CSV (name,local_part,domain[,quota_mb]) as a job with generated passwords */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            /** @description CSV with a header row */
            requestBody: {
                content: {
                    "text/csv": string;
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job: components["schemas"]["Job"];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mailboxes/bulk-delete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Delete up to 100 mailboxes as a job (one request per 5 minutes) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        addresses: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job: components["schemas"]["Job"];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mailboxes/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Export existing mailboxes into a sending tool: a job that gives each a new password for the one-time credentials download
         * @description Passwords are stored only as hashes, so an export issues new ones: the current passwords stop working and connected clients must be updated. dryRun: 200 with how many mailboxes would get a new password. Otherwise 202 with the job; download GET /v1/jobs/{id}/credentials.csv?format=… once it has finished.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description These domains' mailboxes (and their sub-domains'); or send all: true */
                        domains?: string[];
                        /** @description Every active mailbox of the account */
                        all?: boolean;
                        /** @description ISO 8601 date or time: only mailboxes created after it */
                        createdAfter?: string;
                        dryRun?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            preview: {
                                /** @description How many get a new password */
                                mailboxes: number;
                                domains: number;
                                warning: string;
                            };
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job: components["schemas"]["Job"];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mailboxes/bulk-sending": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set the sending limits of up to 1000 mailboxes as a job, one result per mailbox; dryRun previews each change */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The mailboxes to change (or give domain) */
                        addresses?: string[];
                        /** @description Every mailbox of this hostname, not of its sub-domains (or give addresses) */
                        domain?: string;
                        /** @description What changes on each mailbox; what is left out keeps each mailbox's own value */
                        sending: {
                            /** @description Recipients per UTC day (0 stops sending) */
                            dailyLimit?: number;
                            /** @description Recipients per rolling hour */
                            hourlyLimit?: number;
                            /** @description null removes the warm-up */
                            warmup?: {
                                /** @description Recipients on day 0 */
                                start: number;
                                /** @description Added each UTC day */
                                increment: number;
                                /** @description Where the ramp stops (≥ start) */
                                max: number;
                                /** @description Day 0 as a UTC date, YYYY-MM-DD; default today */
                                startDate?: string;
                            } | null;
                        };
                        /** @description Answer what would change; write nothing */
                        dryRun?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            preview: {
                                mailboxes: {
                                    address: string;
                                    before: {
                                        /** @description Recipients per UTC day */
                                        dailyLimit: number;
                                        /** @description Recipients per rolling hour */
                                        hourlyLimit: number;
                                        /** @description null: no warm-up */
                                        warmup: {
                                            /** @description Recipients allowed on day 0 of the ramp */
                                            start: number;
                                            /** @description Added each UTC day */
                                            increment: number;
                                            /** @description Where the ramp stops */
                                            max: number;
                                            /** @description UTC day the ramp counts from (day 0), YYYY-MM-DD */
                                            startDate: string;
                                        } | null;
                                    };
                                    after: {
                                        /** @description Recipients per UTC day */
                                        dailyLimit: number;
                                        /** @description Recipients per rolling hour */
                                        hourlyLimit: number;
                                        /** @description null: no warm-up */
                                        warmup: {
                                            /** @description Recipients allowed on day 0 of the ramp */
                                            start: number;
                                            /** @description Added each UTC day */
                                            increment: number;
                                            /** @description Where the ramp stops */
                                            max: number;
                                            /** @description UTC day the ramp counts from (day 0), YYYY-MM-DD */
                                            startDate: string;
                                        } | null;
                                    };
                                    /** @description false: the mailbox has this policy already */
                                    changed: boolean;
                                }[];
                            };
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job: components["schemas"]["Job"];
                            /** @description The job's items, in order */
                            addresses: string[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mailboxes/bulk-forwarding": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set (or stop) the forwarding of up to 1000 mailboxes as a job, one result per mailbox; dryRun previews each change */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The mailboxes to change (or give domains) */
                        addresses?: string[];
                        /** @description Every mailbox of these hostnames, not of their sub-domains (or give addresses) */
                        domains?: string[];
                        /** @description What every mailbox forwards, under the rules of one mailbox's forwarding; null stops it. A mailbox among its own targets, or whose forward would close a loop, is refused on its own row */
                        forwarding: {
                            /** @description Mailboxes or aliases of this account, or addresses anywhere else; at most the account's maxAliasTargets (default 50) */
                            to: string[];
                            /** @description Default true: the mailbox keeps a copy; false: only the targets get the mail */
                            keepCopy?: boolean;
                        } | null;
                        /** @description Answer what would change; write nothing */
                        dryRun?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            preview: {
                                mailboxes: {
                                    address: string;
                                    /** @description null: the mailbox keeps its mail and forwards nothing */
                                    before: {
                                        to: string[];
                                        /** @description false: the mailbox keeps no copy, only the targets get it */
                                        keepCopy: boolean;
                                    } | null;
                                    /** @description null: it keeps its mail; when refused, as before */
                                    after: {
                                        to: string[];
                                        /** @description false: the mailbox keeps no copy, only the targets get it */
                                        keepCopy: boolean;
                                    } | null;
                                    /** @description false: the mailbox forwards this way already, or is refused */
                                    changed: boolean;
                                    /** @description Why this mailbox would be left as it is (target_is_self, routing_cycle) */
                                    refused: {
                                        code: string;
                                        message: string;
                                    } | null;
                                }[];
                            };
                        };
                    };
                };
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job: components["schemas"]["Job"];
                            /** @description The job's items, in order */
                            addresses: string[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mailboxes/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    address: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["MailboxDetail"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** @description 503 mail_plane_unavailable when Dovecot runs but cannot be told of the change: with "saved": false nothing was changed (retry once Dovecot answers); with "saved": true the change stands, and a login Dovecot cached before it may still succeed for up to 60 s. */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    address: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /**
         * Change name, quota, active, password (a generated one is returned once), sending limits or forwarding
         * @description 503 mail_plane_unavailable when Dovecot runs but cannot be told of the change: with "saved": false nothing was changed (retry once Dovecot answers); with "saved": true the change stands, and a login Dovecot cached before it may still succeed for up to 60 s.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    address: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name?: string;
                        quotaMb?: number;
                        active?: boolean;
                        /** @description { "generate": true } for a random password shown once, or { "generate": false, "value": "…" } */
                        password?: {
                            /** @enum {boolean} */
                            generate: true;
                        } | {
                            /** @enum {boolean} */
                            generate: false;
                            value?: string;
                        };
                        /** @description Sending limits; what is left out keeps its value (on creation: the account's default) */
                        sending?: {
                            /** @description Recipients per UTC day (0 stops sending) */
                            dailyLimit?: number;
                            /** @description Recipients per rolling hour */
                            hourlyLimit?: number;
                            /** @description null removes the warm-up */
                            warmup?: {
                                /** @description Recipients on day 0 */
                                start: number;
                                /** @description Added each UTC day */
                                increment: number;
                                /** @description Where the ramp stops (≥ start) */
                                max: number;
                                /** @description Day 0 as a UTC date, YYYY-MM-DD; default today */
                                startDate?: string;
                            } | null;
                        };
                        /** @description Replaces the forwarding; null stops it. Targets follow the alias rules: not the mailbox itself, no loop (422 routing_cycle) */
                        forwarding?: {
                            /** @description Mailboxes or aliases of this account, or addresses anywhere else; at most the account's maxAliasTargets (default 50) */
                            to: string[];
                            /** @description Default true: the mailbox keeps a copy; false: only the targets get the mail */
                            keepCopy?: boolean;
                        } | null;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            mailbox: components["schemas"]["Mailbox"];
                            /** @description Only when generated: shown once, never retrievable again */
                            password?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/mailboxes/{address}/app-passwords": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The mailbox's app passwords, oldest first (never the passwords) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    address: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["AppPassword"][];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Generate an app password for IMAP and SMTP logins (at most 20 per mailbox); the password is in this response only */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    address: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Where it is used, e.g. "phone", 1–100 characters */
                        label: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            label: string;
                            createdAt: string;
                            /** @description The last IMAP or SMTP login with it the mail plane reported; null if none */
                            lastUsedAt: string | null;
                            /** @description Shown once: only its argon2id hash is stored. Log in with the mailbox address and this */
                            password: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/mailboxes/{address}/app-passwords/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke one app password: its next login is refused, the others keep working
         * @description 503 mail_plane_unavailable when Dovecot runs but cannot be told of the change: with "saved": false nothing was changed (retry once Dovecot answers); with "saved": true the change stands, and a login Dovecot cached before it may still succeed for up to 60 s.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    address: string;
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                503: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/aliases": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List aliases and catch-alls in address order (catch-alls first) */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description 1–500, default 100 */
                    limit?: number;
                    domain?: string;
                    /** @description Address prefix, e.g. "sa" or "@" for the catch-alls */
                    q?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Alias"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create an alias or a catch-all that delivers to one or more targets
         * @description Refused: the address of a mailbox or alias (409), a pending hostname (409), a target that is the alias itself, unknown on your own hostnames or closing a loop (422), a target on another account's hostname (404).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description On a verified hostname of this account; "@host" is the hostname's catch-all */
                        address: string;
                        /** @description Mailboxes or aliases of this account, or addresses anywhere else; at most the account's maxAliasTargets (default 50) */
                        targets: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Alias"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/aliases/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description sales@example.com, or @sales.example.com (URL-encoded @) */
                    address: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Alias"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description sales@example.com, or @sales.example.com (URL-encoded @) */
                    address: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        /** Replace an alias's targets */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description sales@example.com, or @sales.example.com (URL-encoded @) */
                    address: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Mailboxes or aliases of this account, or addresses anywhere else; at most the account's maxAliasTargets (default 50) */
                        targets: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Alias"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's audit log, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description 1–500, default 100 */
                    limit?: number;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["AuditEvent"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/limits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's platform limits, its usage and any running cooldown */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            limits: {
                                maxDomains: number;
                                maxSubdomainsPerDomain: number;
                                maxMailboxesPerDomain: number;
                                maxBulkCount: number;
                                maxMailboxesPerHour: number;
                                cooldownThreshold: number;
                                cooldownSeconds: number;
                                /** @description A new mailbox's sending.dailyLimit */
                                defaultDailySendLimit: number;
                                defaultHourlySendLimit: number;
                                /** @description 0: new mailboxes get no warm-up */
                                defaultWarmupStart: number;
                                defaultWarmupIncrement: number;
                                defaultWarmupMax: number;
                                /** @description Targets of one alias, catch-all or mailbox forward */
                                maxAliasTargets: number;
                            };
                            usage: {
                                domains: number;
                                mailboxesLastHour: number;
                            };
                            cooldowns: {
                                bulkMailboxes: {
                                    active: boolean;
                                    retryAt: string | null;
                                    seconds: number;
                                };
                                bulkDeleteDomains: {
                                    active: boolean;
                                    retryAt: string | null;
                                    seconds: number;
                                };
                                bulkDeleteMailboxes: {
                                    active: boolean;
                                    retryAt: string | null;
                                    seconds: number;
                                };
                            };
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Jobs of this account, newest first */
        get: {
            parameters: {
                query?: {
                    /** @description nextCursor of the previous page */
                    cursor?: string;
                    /** @description 1–500, default 100 */
                    limit?: number;
                    /** @description cancelled: POST /v1/jobs/{id}/cancel ended it; done items stay, the rest never ran */
                    status?: "queued" | "running" | "succeeded" | "failed" | "cancelled";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Job"][];
                            nextCursor: string | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Progress of one job */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Job"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel a job that has not finished
         * @description The job ends `cancelled`: items not yet carried out never will be (a running job stops at its next batch boundary), items done stay done, and the credentials of mailboxes already created can be downloaded as for a finished job. 409 job_finished when it had finished already.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Job"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/jobs/{id}/credentials.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The generated credentials as CSV: served once, then 410
         * @description The first download marks the credentials downloaded. For 10 minutes after it, the same API token or console session (and no other) may download the same file again, so a transfer that broke off loses nothing; then the passwords are erased. Credentials never downloaded are erased 24 hours after the job finished. A console request (cookie) must send X-CSRF-Token, as for a POST. HEAD answers the status and headers GET would, without downloading. `format` picks the columns: Mailwright's own (`generic`) or the bulk-import file of a sending tool; the first download, in whichever format, is the one.
         */
        get: {
            parameters: {
                query?: {
                    /** @description The file's columns: generic, instantly, smartlead, emailbison */
                    format?: "generic" | "instantly" | "smartlead" | "emailbison";
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                410: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{name}/dns": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The DNS records the domain needs, each with why; check=true looks them up live */
        get: {
            parameters: {
                query?: {
                    check?: "true" | "false";
                };
                header?: never;
                path: {
                    /** @description Domain name, Unicode or A-label */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            records: components["schemas"]["DnsRecord"][];
                            checkedAt: string | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{name}/dns/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish the records to the configured DNS host, then check them live
         * @description Idempotent: publishing an unchanged plan again reports changed: 0.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Domain name, Unicode or A-label */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description RRsets the DNS host had to change */
                            changed: number;
                            records: components["schemas"]["DnsRecord"][];
                            checkedAt: string | null;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/dns/publish": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Publish many domains' records as a job: the listed ones, or every one not live
         * @description Each domain is published and checked as the single publish does; the job's errors name those the DNS host refused.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description Domain names, Unicode or A-label; or leave out and send pending: true */
                        names?: string[];
                        /** @description Every domain whose records were never checked live or were failing */
                        pending?: boolean;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                202: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            job: components["schemas"]["Job"];
                            /** @description The job's domains; each one is done unless the job's errors name it */
                            domains: string[];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/dns/export.zip": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Many domains' records in one download: a BIND zone file per domain and records.csv
         * @description A zip of zones/<domain>.zone (as GET /v1/domains/{name}/dns.zone answers each) and records.csv (domain,type,host,value,ttl: every record of every domain).
         */
        get: {
            parameters: {
                query?: {
                    /** @description Domain names separated by commas, at most 100; left out: every domain of the account */
                    names?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description application/zip */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/zip": unknown;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/zip": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/zip": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/dns/records.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every record of many domains as one CSV: domain,type,host,value,ttl */
        get: {
            parameters: {
                query?: {
                    /** @description Domain names separated by commas, at most 100; left out: every domain of the account */
                    names?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/csv": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{name}/dns.zone": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The same records as a BIND zone fragment to paste into a DNS host */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Domain name, Unicode or A-label */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{name}/dkim/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add the next DKIM selector; the previous ones stay published until retired */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Domain name, Unicode or A-label */
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /**
                         * @description rsa (default), or ed25519 for a second signature beside RSA
                         * @enum {string}
                         */
                        algorithm?: "rsa" | "ed25519";
                    } | null;
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            selector: string;
                            /** @enum {string} */
                            algorithm: "rsa" | "ed25519";
                            records: components["schemas"]["DnsRecord"][];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{name}/dkim/retire": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Stop publishing a DKIM selector once mail signed with it is delivered */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Domain name, Unicode or A-label */
                    name: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        selector: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            selector: string;
                            records: components["schemas"]["DnsRecord"][];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/.well-known/mta-sts.txt": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** MTA-STS policy (RFC 8461) for Host: mta-sts.<domain> of a verified domain */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": string;
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "text/plain": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/certificates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The certificates this host obtained: the mail host's, and the MTA-STS and web hosts of your domains */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Certificate"][];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{name}/mta-sts-certificate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Obtain (or replace) the certificate of mta-sts.<domain> from the ACME CA; the domain must be verified */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Domain name, Unicode or A-label */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Certificate"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/domains/{name}/web-certificates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Obtain (or replace) the certificates of <domain> and www.<domain>, the hosts a web redirect answers; the domain must be a verified root domain with redirectTo set */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /** @description Domain name, Unicode or A-label */
                    name: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["WebCertificates"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user, their account and the CSRF token of the session */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Sign in to the web console with email and password
         * @description Sets the mw_session cookie. Wrong email and wrong password get the same 401; a user with TOTP on gets 401 totp_required without totpCode, and a wrong code counts like a wrong password; 5 failures per email or 20 per client in 15 minutes get a 429 with Retry-After.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        email: string;
                        password: string;
                        /** @description The authenticator app’s current code, or a recovery code; asked for by 401 totp_required */
                        totpCode?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Session"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /** Sign out: the session ends on the server and the cookie is cleared */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session/totp": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Start setting up two-factor sign-in (TOTP) for the signed-in user
         * @description Answers a new secret and its otpauth:// URI, shown once; TOTP is on only after POST /v1/session/totp/confirm. RFC 6238: SHA1, 6 digits, 30 s.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TotpEnrolment"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /**
         * Turn two-factor sign-in off, given a current code or a recovery code
         * @description Wrong codes count toward the sign-in limits (429 login_rate_limited); 409 when the account requires TOTP.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The app’s current 6-digit code (or, to disable, a recovery code) */
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/session/totp/confirm": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Turn two-factor sign-in on with a first code from the app
         * @description Answers 10 one-time recovery codes, shown once.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description The app’s current 6-digit code (or, to disable, a recovery code) */
                        code: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["TotpRecoveryCodes"];
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's API tokens (never their secrets) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["ApiToken"][];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Create an API token; the token is in this response only */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description What the token is for, 1–100 characters */
                        label: string;
                        /** @description What it may do; each API operation names the scope it needs; admin: everything */
                        scopes: ("domains:read" | "domains:write" | "mailboxes:read" | "mailboxes:write" | "aliases:read" | "aliases:write" | "dns:write" | "jobs:read" | "credentials:read" | "tokens:write" | "webhooks:write" | "admin")[];
                        /** @description Root domains it is limited to (with their sub-domains); anything else answers 404. Leave out for every domain */
                        domains?: string[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            label: string;
                            /** @description Shown once: only its SHA-256 is stored */
                            token: string;
                            /** @description What it may do; admin: everything */
                            scopes: ("domains:read" | "domains:write" | "mailboxes:read" | "mailboxes:write" | "aliases:read" | "aliases:write" | "dns:write" | "jobs:read" | "credentials:read" | "tokens:write" | "webhooks:write" | "admin")[];
                            /** @description Root domains (A-labels) it is limited to, with their sub-domains; null: every domain */
                            domains: string[] | null;
                            createdAt: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke an API token: its next request gets 401 */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's webhook endpoints (never their secrets) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["Webhook"][];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /** Add a webhook endpoint; its signing secret is in this response only */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description https URL that receives a signed POST per event; private and link-local addresses are refused */
                        url: string;
                        /** @description Event types to deliver */
                        events: ("job.finished" | "domain.verified" | "domain.deleted" | "dns.check_failed" | "mailbox.created" | "mailbox.deleted" | "mailbox.send_limit_reached")[];
                        /** @description Your own signing secret, 32–256 printable ASCII characters without spaces; leave out to have one generated. Never sent back */
                        secret?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            url: string;
                            events: ("job.finished" | "domain.verified" | "domain.deleted" | "dns.check_failed" | "mailbox.created" | "mailbox.deleted" | "mailbox.send_limit_reached")[];
                            createdAt: string;
                            /** @description The generated secret, shown once: verify the Mailwright-Signature header with it (docs/security.md). Absent when you gave the secret */
                            secret?: string;
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a webhook endpoint: its pending deliveries and retries are dropped */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                204: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The endpoint's 50 newest deliveries, newest first */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: components["schemas"]["WebhookDelivery"][];
                        };
                    };
                };
                /** @description Default Response */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
                /** @description Default Response */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        DomainInput: {
            id: string;
            /** @description A-label (xn--…) form, lowercase */
            name: string;
            unicodeName: string;
            /** @enum {string} */
            kind: "root" | "subdomain";
            parent: string | null;
            /** @enum {string} */
            status: "pending" | "verified";
            verification: {
                /** @constant */
                type: "TXT";
                host: string;
                value: string;
            };
            /** @description Mailbox slots of this hostname (1–100) */
            mailboxLimit: number;
            /** @description Storage pool shared by its mailboxes' quotas */
            quotaMb: number;
            mailboxCount: number;
            /** @description Readiness from the last live check (GET …/dns?check=true or `domain check`) */
            dns: {
                ready: boolean;
                checkedAt: string | null;
                failing: {
                    /** @enum {string} */
                    type: "TXT" | "MX" | "SRV" | "CNAME" | "A" | "AAAA";
                    host: string;
                    /** @enum {string} */
                    status: "ok" | "missing" | "mismatch" | "error" | "unchecked";
                    hint: string;
                }[];
            };
            /** @description Root domains: the https URL web requests for the domain and www. are redirected to (301) */
            redirectTo: string | null;
            /** @description Root domains: the target of the track.<domain> CNAME */
            trackingCname: string | null;
            /** @description The relay ([host]:port) mail from this hostname's addresses leaves through; null: a sub-domain follows its root's, otherwise the server's relay (or each recipient's MX) */
            relayHost: string | null;
            /** @description mixed_script: the name mixes scripts and can pass for another; show `name` too */
            warnings: {
                /** @enum {string} */
                code: "mixed_script";
                message: string;
            }[];
            createdAt: string;
        };
        /** @description Enforced by the mail plane at submission (452 4.7.1 past a limit) */
        SendingInput: {
            /** @description Recipients per UTC day */
            dailyLimit: number;
            /** @description Recipients per rolling hour */
            hourlyLimit: number;
            /** @description null: no warm-up */
            warmup: {
                /** @description Recipients allowed on day 0 of the ramp */
                start: number;
                /** @description Added each UTC day */
                increment: number;
                /** @description Where the ramp stops */
                max: number;
                /** @description UTC day the ramp counts from (day 0), YYYY-MM-DD */
                startDate: string;
            } | null;
            /** @description Recipients accepted at submission this UTC day */
            sentToday: number;
            /** @description dailyLimit lowered by the warm-up ramp, for today */
            limitToday: number;
            /** @description Recipients in the last 60 minutes */
            sentThisHour: number;
            /** @description Day of the warm-up (0 first); null without */
            rampDay: number | null;
        };
        MailboxInput: {
            id: string;
            address: string;
            localPart: string;
            domain: string;
            name: string;
            quotaMb: number;
            active: boolean;
            createdAt: string;
            sending: components["schemas"]["SendingInput"];
            /** @description null: the mailbox keeps its mail and forwards nothing */
            forwarding: {
                to: string[];
                /** @description false: the mailbox keeps no copy, only the targets get it */
                keepCopy: boolean;
            } | null;
        };
        MailboxDetailInput: {
            id: string;
            address: string;
            localPart: string;
            domain: string;
            name: string;
            quotaMb: number;
            active: boolean;
            createdAt: string;
            sending: components["schemas"]["SendingInput"];
            /** @description null: the mailbox keeps its mail and forwards nothing */
            forwarding: {
                to: string[];
                /** @description false: the mailbox keeps no copy, only the targets get it */
                keepCopy: boolean;
            } | null;
            /** @description MB stored, as Dovecot's quota counts it; null when no mail plane answers */
            usedMb: number | null;
        };
        JobInput: {
            id: string;
            /** @enum {string} */
            kind: "bulk_mailboxes" | "import_mailboxes" | "bulk_delete_domains" | "bulk_delete_mailboxes" | "bulk_set_sending" | "bulk_set_forwarding" | "verify_domains" | "publish_dns" | "export_mailboxes";
            /**
             * @description cancelled: POST /v1/jobs/{id}/cancel ended it; done items stay, the rest never ran
             * @enum {string}
             */
            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            total: number;
            done: number;
            failed: number;
            errors: {
                address: string;
                code: string;
                message: string;
            }[];
            /**
             * @description available: GET /v1/jobs/{id}/credentials.csv once the job has finished
             * @enum {string}
             */
            credentials: "none" | "available" | "downloaded" | "expired";
            /** @description Staged jobs: when the next wave starts */
            nextRunAt: string | null;
            createdAt: string;
            finishedAt: string | null;
        };
        ProblemInput: {
            type: string;
            title: string;
            status: number;
            code: string;
            detail: string;
            errors?: {
                field: string;
                code: string;
                message: string;
            }[];
        } & {
            [key: string]: unknown;
        };
        AliasInput: {
            id: string;
            /** @description sales@example.com, or @sales.example.com for a catch-all */
            address: string;
            domain: string;
            /** @description Takes mail for every address of the hostname that no mailbox or alias has */
            catchAll: boolean;
            targets: string[];
            createdAt: string;
            updatedAt: string;
        };
        CertificateInput: {
            /** @description The host name it is for (A-label) */
            name: string;
            /**
             * @description What the name is: the mail host, a domain's mta-sts.<domain>, or a redirected root domain's <domain> / www.<domain>
             * @enum {string}
             */
            kind: "mail_host" | "mta_sts" | "web";
            notBefore: string;
            notAfter: string;
            /** @description Whole days until it expires; negative once expired */
            daysLeft: number;
            /** @description Fewer than 30 days left: the next renewal run replaces it */
            renewalDue: boolean;
        };
        WebCertificatesInput: {
            /** @description The certificates obtained now, of <domain> and www.<domain> */
            issued: components["schemas"]["CertificateInput"][];
            /** @description Each name on its own: one failing leaves the other issued; empty when both were */
            failed: {
                /** @description The host name the CA did not issue for */
                name: string;
                /** @description The CA's reason (e.g. the name's DNS points elsewhere) */
                message: string;
            }[];
        };
        AppPasswordInput: {
            id: string;
            label: string;
            createdAt: string;
            /** @description The last IMAP or SMTP login with it the mail plane reported; null if none */
            lastUsedAt: string | null;
        };
        DnsRecordInput: {
            /** @enum {string} */
            type: "TXT" | "MX" | "SRV" | "CNAME" | "A" | "AAAA";
            /** @description Fully qualified, lowercase A-label, without the trailing dot */
            host: string;
            /** @description Zone-file presentation form: MX "10 mx.example.net.", TXT unquoted and whole */
            value: string;
            ttl: number;
            /** @description What breaks without this record */
            purpose: string;
            /**
             * @description unchecked unless asked for with check=true
             * @enum {string}
             */
            status: "ok" | "missing" | "mismatch" | "error" | "unchecked";
            /** @description What the resolvers answered, in presentation form */
            found: string[];
            /** @description How to fix it; empty when ok or unchecked */
            hint: string;
        };
        AuditEventInput: {
            id: number;
            actor: string;
            action: string;
            target: string;
            details: {
                [key: string]: unknown;
            };
            createdAt: string;
        };
        SessionInput: {
            user: {
                id: string;
                email: string;
            };
            account: {
                id: string;
                name: string;
            };
            /** @description Send it as X-CSRF-Token on every request other than GET, HEAD and OPTIONS */
            csrfToken: string;
            /** @description Two-factor sign-in of the user. required && !enabled: the session may only enrol (other routes answer 403 totp_enrolment_required) */
            totp: {
                enabled: boolean;
                required: boolean;
            };
        };
        ApiTokenInput: {
            id: string;
            label: string;
            createdAt: string;
            /** @description To the minute; null if never used */
            lastUsedAt: string | null;
            /** @description What it may do; admin: everything */
            scopes: ("domains:read" | "domains:write" | "mailboxes:read" | "mailboxes:write" | "aliases:read" | "aliases:write" | "dns:write" | "jobs:read" | "credentials:read" | "tokens:write" | "webhooks:write" | "admin")[];
            /** @description Root domains (A-labels) it is limited to, with their sub-domains; null: every domain */
            domains: string[] | null;
        };
        WebhookInput: {
            id: string;
            url: string;
            events: ("job.finished" | "domain.verified" | "domain.deleted" | "dns.check_failed" | "mailbox.created" | "mailbox.deleted" | "mailbox.send_limit_reached")[];
            createdAt: string;
        };
        WebhookDeliveryInput: {
            /** @description Sent as the Mailwright-Delivery header */
            id: string;
            event: string;
            /**
             * @description failed: every attempt failed, no more are made
             * @enum {string}
             */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            createdAt: string;
            lastAttemptAt: string | null;
            /** @description When pending: the next attempt */
            nextAttemptAt: string | null;
            /** @description The receiver's last HTTP status */
            responseStatus: number | null;
            /** @description Why the last attempt failed */
            error: string | null;
        };
        TotpEnrolmentInput: {
            secret: string;
            uri: string;
        };
        TotpRecoveryCodesInput: {
            recoveryCodes: string[];
        };
        Domain: {
            id: string;
            /** @description A-label (xn--…) form, lowercase */
            name: string;
            unicodeName: string;
            /** @enum {string} */
            kind: "root" | "subdomain";
            parent: string | null;
            /** @enum {string} */
            status: "pending" | "verified";
            verification: {
                /** @constant */
                type: "TXT";
                host: string;
                value: string;
            };
            /** @description Mailbox slots of this hostname (1–100) */
            mailboxLimit: number;
            /** @description Storage pool shared by its mailboxes' quotas */
            quotaMb: number;
            mailboxCount: number;
            /** @description Readiness from the last live check (GET …/dns?check=true or `domain check`) */
            dns: {
                ready: boolean;
                checkedAt: string | null;
                failing: {
                    /** @enum {string} */
                    type: "TXT" | "MX" | "SRV" | "CNAME" | "A" | "AAAA";
                    host: string;
                    /** @enum {string} */
                    status: "ok" | "missing" | "mismatch" | "error" | "unchecked";
                    hint: string;
                }[];
            };
            /** @description Root domains: the https URL web requests for the domain and www. are redirected to (301) */
            redirectTo: string | null;
            /** @description Root domains: the target of the track.<domain> CNAME */
            trackingCname: string | null;
            /** @description The relay ([host]:port) mail from this hostname's addresses leaves through; null: a sub-domain follows its root's, otherwise the server's relay (or each recipient's MX) */
            relayHost: string | null;
            /** @description mixed_script: the name mixes scripts and can pass for another; show `name` too */
            warnings: {
                /** @enum {string} */
                code: "mixed_script";
                message: string;
            }[];
            createdAt: string;
        };
        /** @description Enforced by the mail plane at submission (452 4.7.1 past a limit) */
        Sending: {
            /** @description Recipients per UTC day */
            dailyLimit: number;
            /** @description Recipients per rolling hour */
            hourlyLimit: number;
            /** @description null: no warm-up */
            warmup: {
                /** @description Recipients allowed on day 0 of the ramp */
                start: number;
                /** @description Added each UTC day */
                increment: number;
                /** @description Where the ramp stops */
                max: number;
                /** @description UTC day the ramp counts from (day 0), YYYY-MM-DD */
                startDate: string;
            } | null;
            /** @description Recipients accepted at submission this UTC day */
            sentToday: number;
            /** @description dailyLimit lowered by the warm-up ramp, for today */
            limitToday: number;
            /** @description Recipients in the last 60 minutes */
            sentThisHour: number;
            /** @description Day of the warm-up (0 first); null without */
            rampDay: number | null;
        };
        Mailbox: {
            id: string;
            address: string;
            localPart: string;
            domain: string;
            name: string;
            quotaMb: number;
            active: boolean;
            createdAt: string;
            sending: components["schemas"]["Sending"];
            /** @description null: the mailbox keeps its mail and forwards nothing */
            forwarding: {
                to: string[];
                /** @description false: the mailbox keeps no copy, only the targets get it */
                keepCopy: boolean;
            } | null;
        };
        MailboxDetail: {
            id: string;
            address: string;
            localPart: string;
            domain: string;
            name: string;
            quotaMb: number;
            active: boolean;
            createdAt: string;
            sending: components["schemas"]["Sending"];
            /** @description null: the mailbox keeps its mail and forwards nothing */
            forwarding: {
                to: string[];
                /** @description false: the mailbox keeps no copy, only the targets get it */
                keepCopy: boolean;
            } | null;
            /** @description MB stored, as Dovecot's quota counts it; null when no mail plane answers */
            usedMb: number | null;
        };
        Job: {
            id: string;
            /** @enum {string} */
            kind: "bulk_mailboxes" | "import_mailboxes" | "bulk_delete_domains" | "bulk_delete_mailboxes" | "bulk_set_sending" | "bulk_set_forwarding" | "verify_domains" | "publish_dns" | "export_mailboxes";
            /**
             * @description cancelled: POST /v1/jobs/{id}/cancel ended it; done items stay, the rest never ran
             * @enum {string}
             */
            status: "queued" | "running" | "succeeded" | "failed" | "cancelled";
            total: number;
            done: number;
            failed: number;
            errors: {
                address: string;
                code: string;
                message: string;
            }[];
            /**
             * @description available: GET /v1/jobs/{id}/credentials.csv once the job has finished
             * @enum {string}
             */
            credentials: "none" | "available" | "downloaded" | "expired";
            /** @description Staged jobs: when the next wave starts */
            nextRunAt: string | null;
            createdAt: string;
            finishedAt: string | null;
        };
        Problem: {
            type: string;
            title: string;
            status: number;
            code: string;
            detail: string;
            errors?: {
                field: string;
                code: string;
                message: string;
            }[];
        } & {
            [key: string]: unknown;
        };
        Alias: {
            id: string;
            /** @description sales@example.com, or @sales.example.com for a catch-all */
            address: string;
            domain: string;
            /** @description Takes mail for every address of the hostname that no mailbox or alias has */
            catchAll: boolean;
            targets: string[];
            createdAt: string;
            updatedAt: string;
        };
        Certificate: {
            /** @description The host name it is for (A-label) */
            name: string;
            /**
             * @description What the name is: the mail host, a domain's mta-sts.<domain>, or a redirected root domain's <domain> / www.<domain>
             * @enum {string}
             */
            kind: "mail_host" | "mta_sts" | "web";
            notBefore: string;
            notAfter: string;
            /** @description Whole days until it expires; negative once expired */
            daysLeft: number;
            /** @description Fewer than 30 days left: the next renewal run replaces it */
            renewalDue: boolean;
        };
        WebCertificates: {
            /** @description The certificates obtained now, of <domain> and www.<domain> */
            issued: components["schemas"]["Certificate"][];
            /** @description Each name on its own: one failing leaves the other issued; empty when both were */
            failed: {
                /** @description The host name the CA did not issue for */
                name: string;
                /** @description The CA's reason (e.g. the name's DNS points elsewhere) */
                message: string;
            }[];
        };
        AppPassword: {
            id: string;
            label: string;
            createdAt: string;
            /** @description The last IMAP or SMTP login with it the mail plane reported; null if none */
            lastUsedAt: string | null;
        };
        DnsRecord: {
            /** @enum {string} */
            type: "TXT" | "MX" | "SRV" | "CNAME" | "A" | "AAAA";
            /** @description Fully qualified, lowercase A-label, without the trailing dot */
            host: string;
            /** @description Zone-file presentation form: MX "10 mx.example.net.", TXT unquoted and whole */
            value: string;
            ttl: number;
            /** @description What breaks without this record */
            purpose: string;
            /**
             * @description unchecked unless asked for with check=true
             * @enum {string}
             */
            status: "ok" | "missing" | "mismatch" | "error" | "unchecked";
            /** @description What the resolvers answered, in presentation form */
            found: string[];
            /** @description How to fix it; empty when ok or unchecked */
            hint: string;
        };
        AuditEvent: {
            id: number;
            actor: string;
            action: string;
            target: string;
            details: {
                [key: string]: unknown;
            };
            createdAt: string;
        };
        Session: {
            user: {
                id: string;
                email: string;
            };
            account: {
                id: string;
                name: string;
            };
            /** @description Send it as X-CSRF-Token on every request other than GET, HEAD and OPTIONS */
            csrfToken: string;
            /** @description Two-factor sign-in of the user. required && !enabled: the session may only enrol (other routes answer 403 totp_enrolment_required) */
            totp: {
                enabled: boolean;
                required: boolean;
            };
        };
        ApiToken: {
            id: string;
            label: string;
            createdAt: string;
            /** @description To the minute; null if never used */
            lastUsedAt: string | null;
            /** @description What it may do; admin: everything */
            scopes: ("domains:read" | "domains:write" | "mailboxes:read" | "mailboxes:write" | "aliases:read" | "aliases:write" | "dns:write" | "jobs:read" | "credentials:read" | "tokens:write" | "webhooks:write" | "admin")[];
            /** @description Root domains (A-labels) it is limited to, with their sub-domains; null: every domain */
            domains: string[] | null;
        };
        Webhook: {
            id: string;
            url: string;
            events: ("job.finished" | "domain.verified" | "domain.deleted" | "dns.check_failed" | "mailbox.created" | "mailbox.deleted" | "mailbox.send_limit_reached")[];
            createdAt: string;
        };
        WebhookDelivery: {
            /** @description Sent as the Mailwright-Delivery header */
            id: string;
            event: string;
            /**
             * @description failed: every attempt failed, no more are made
             * @enum {string}
             */
            status: "pending" | "delivered" | "failed";
            attempts: number;
            createdAt: string;
            lastAttemptAt: string | null;
            /** @description When pending: the next attempt */
            nextAttemptAt: string | null;
            /** @description The receiver's last HTTP status */
            responseStatus: number | null;
            /** @description Why the last attempt failed */
            error: string | null;
        };
        TotpEnrolment: {
            secret: string;
            uri: string;
        };
        TotpRecoveryCodes: {
            recoveryCodes: string[];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
