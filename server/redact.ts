/** Credentials out of text shown to a client: passwords in URLs and connection strings, and known secrets. */

/** `postgres://user:secret@host` → `postgres://user:***@host`, for any scheme. */
const URL_PASSWORD = /(\b[a-z][\w+.-]*:\/\/[^\s:/@]*:)[^\s@/]*@/gi;
/** `password=secret` in a key/value connection string. */
const KEY_VALUE_PASSWORD = /\b(password\s*=\s*)('[^']*'|\S+)/gi;

/** The password of a database URL, as written and decoded, to be redacted wherever it appears. */
export function secretsOf(databaseUrl: string | undefined): string[] {
  if (!databaseUrl) return [];
  try {
    const { password } = new URL(databaseUrl);
    return password ? [...new Set([password, decodeURIComponent(password)])] : [];
  } catch {
    return [];
  }
}

export function redactSecrets(text: string, secrets: readonly string[]): string {
  let redacted = text.replace(URL_PASSWORD, '$1***@').replace(KEY_VALUE_PASSWORD, '$1***');
  for (const secret of secrets) redacted = redacted.split(secret).join('***');
  return redacted;
}
