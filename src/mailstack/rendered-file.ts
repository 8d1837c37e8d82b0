/** One configuration file, its path relative to `dirs.config`. */
export interface RenderedFile {
  path: string;
  content: string;
  mode: number;
  /**
   * A group that must read the file through its mode (0640 files holding a password). Postfix's
   * lookup tables are read by proxymap (and the domains by trivial-rewrite), which run as
   * mail_owner with its primary group only.
   */
  group?: string;
}
