import { join } from 'node:path';
import type { RenderedFile } from './rendered-file.js';
import type { MailPlaneSettings } from './settings.js';

/** The mailbox-password passdb's script, loaded by Dovecot's auth processes. */
export const mailboxPassdbFile = (s: MailPlaneSettings): string =>
  join(s.dirs.config, 'dovecot', 'mailbox-passdb.lua');

/** What the script needs of the database: how to reach it and the passdb query. */
export interface MailboxPassdbSource {
  /** Dovecot's own `connect` value: a SQLite path, or a libpq conninfo string. */
  connect: string;
  /** The passdb query (queries.ts); its one `'%Lu'` becomes the escaped login. */
  query: string;
  /** 0640 when `connect` holds a password. */
  mode: number;
  /** Who may read it through `mode`. */
  group?: string;
}

/** A Lua string literal: every byte outside printable ASCII, `"` and `\` as a decimal escape. */
const luaString = (text: string): string =>
  `"${[...Buffer.from(text, 'utf8')]
    .map((b) =>
      b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c
        ? String.fromCharCode(b)
        : `\\${String(b).padStart(3, '0')}`,
    )
    .join('')}"`;

/**
 * The first passdb, the mailbox's own password (docs/mail-plane.md, "Logins"): a Lua passdb
 * that looks the mailbox up with the same query the SQL passdb ran and verifies the password
 * itself (`request:password_verify`, the stored argon2id hash). Declared `blocking = yes`, it
 * runs in the auth workers, on every core, on both dialects; and because it answers the
 * verified result rather than a hash, Dovecot's cache serves a repeated login without argon2id.
 *
 * Each worker opens its connection at its first login and keeps it; a connection the server
 * dropped is opened again once, within the same login. The script logs nothing itself; the
 * errors it returns carry the database's message, never the password.
 */
export function renderMailboxPassdb(s: MailPlaneSettings, db: MailboxPassdbSource): RenderedFile {
  const parts = db.query.split("'%Lu'");
  if (parts.length !== 2) {
    throw new Error(`The mailbox passdb query must name '%Lu' exactly once: ${db.query}`);
  }
  const driver = s.dialect === 'sqlite' ? 'sqlite3' : 'postgres';
  const script = `-- Rendered by Mailwright (src/mailstack/dovecot-lua.ts); changes here are overwritten.
local luasql = require("luasql.${driver}")

local CONNECT = ${luaString(db.connect)}
local QUERY_BEFORE, QUERY_AFTER = ${luaString(parts[0]!)}, ${luaString(parts[1]!)}

local env, conn

local function mailbox(login)
  if conn == nil then
    env = env or luasql.${driver}()
    local err
    conn, err = env:connect(CONNECT)
    if conn == nil then
      return nil, "cannot connect to the database: " .. tostring(err)
    end
  end
  local cursor, err = conn:execute(QUERY_BEFORE .. "'" .. conn:escape(login) .. "'" .. QUERY_AFTER)
  if cursor == nil then
    conn:close()
    conn = nil
    return nil, "mailbox lookup failed: " .. tostring(err)
  end
  local row = cursor:fetch({}, "a")
  cursor:close()
  return row or false
end

-- auth_username_format (%Lu) has already lowercased req.user, as the SQL passdb's %Lu did.
function auth_password_verify(req, password)
  local row, err = mailbox(req.user)
  if row == nil then
    row, err = mailbox(req.user)
  end
  if row == nil then
    return dovecot.auth.PASSDB_RESULT_INTERNAL_FAILURE, err
  end
  if not row then
    return dovecot.auth.PASSDB_RESULT_USER_UNKNOWN, "no such mailbox"
  end
  local verified, verify_err = req:password_verify(row.password, password)
  if verified < 0 then
    return dovecot.auth.PASSDB_RESULT_INTERNAL_FAILURE, verify_err
  elseif verified == 0 then
    return dovecot.auth.PASSDB_RESULT_PASSWORD_MISMATCH, "password mismatch"
  end
  -- A NULL quota_rule is no key at all: the mailbox has the default quota; likewise a warning.
  return dovecot.auth.PASSDB_RESULT_OK, {
    user = row.user,
    userdb_home = row.userdb_home,
    userdb_quota_rule = row.userdb_quota_rule,
    userdb_quota_warning = row.userdb_quota_warning,
    userdb_quota_warning2 = row.userdb_quota_warning2,
  }
end
`;
  return { path: 'dovecot/mailbox-passdb.lua', content: script, mode: db.mode, group: db.group };
}
