/**
 * `--dedupe`: the key under which two input lines are the same URL. Scheme and host are compared
 * lower-case, a default port (80 for http, 443 for https) is the same as none, and the fragment is
 * dropped (it never reaches the server). Anything else (path, query, their case) counts.
 */

/**
 * The dedupe key of one input line; a line that is not a URL is its own trimmed text.
 *
 * @example
 * ```ts
 * dedupeKey('HTTP://Example.COM:80/a#top') === dedupeKey('http://example.com/a'); // true
 * ```
 */
export function dedupeKey(line: string): string {
  const text = line.trim();
  try {
    const url = new URL(text);
    url.hash = ''; // the URL parser already lower-cases scheme and host and drops a default port
    return url.href;
  } catch {
    return text;
  }
}
