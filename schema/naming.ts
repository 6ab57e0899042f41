/** Naming conventions shared by tables, columns and GraphQL names. */

/** `createdAt` → `created_at`, `HTTPServer` → `http_server`. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/** `User` → `user`, `HTTPServer` → `httpServer`. */
export function camelCase(name: string): string {
  const leadingCaps = /^[A-Z]+(?=[A-Z][a-z]|$)/.exec(name)?.[0];
  if (leadingCaps) return leadingCaps.toLowerCase() + name.slice(leadingCaps.length);
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** `userId` → `UserId`. */
export function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** English plural good enough for identifiers: `address` → `addresses`, `category` → `categories`. */
export function plural(word: string): string {
  if (/(s|x|z|ch|sh)$/i.test(word)) return `${word}es`;
  if (/[^aeiou]y$/i.test(word)) return `${word.slice(0, -1)}ies`;
  return `${word}s`;
}
