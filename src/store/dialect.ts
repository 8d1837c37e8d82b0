/** The SQL databases Mailwright runs on; migrations and the mail servers' queries differ by it. */
export type Dialect = 'sqlite' | 'postgres';
