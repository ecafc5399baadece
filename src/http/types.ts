/**
 * The shared vocabulary of the http layer: one {@link FetchRow} per input URL, and the error codes
 * a user can act on.
 */

/** Why a URL did not produce a good response. Stable strings: scripts may switch on them. */
export type FetchErrorCode =
  | 'invalid_url'
  | 'unsupported_scheme'
  | 'dns'
  | 'refused'
  | 'reset'
  | 'timeout'
  | 'tls'
  | 'too_large'
  | 'too_many_redirects'
  | 'http'
  | 'aborted'
  | 'bad_body'
  /** An https page redirected to http while `refuseDowngrade` was set. */
  | 'downgrade'
  /** The proxy refused, failed or could not be reached. */
  | 'proxy'
  /** A failure gather does not recognise (its message says what it was); never retried. */
  | 'unknown';

/** The error part of a row: a stable code and a human sentence. */
export interface FetchRowError {
  code: FetchErrorCode;
  message: string;
}

/** The outcome of one URL. Exactly one row per input, in input order; never a thrown batch. */
export interface FetchRow {
  /** The URL exactly as given. */
  url: string;
  /** True when a response arrived with status < 400 (or any status when `httpErrors` is off) and no error. */
  ok: boolean;
  /** HTTP status of the final response, or 0 when none arrived. */
  status: number;
  /** The page `<title>`, entities decoded and whitespace collapsed; null when absent or not HTML. */
  title: string | null;
  /** The URL of the final response after redirects; null when no response arrived. */
  finalUrl: string | null;
  /** How many redirects were followed. */
  redirects: number;
  /** Decoded body bytes read (reading stops early once the title is known). */
  bytes: number;
  /** Wall time for this URL including retries, in milliseconds. */
  timeMs: number;
  /** How many attempts were made (1 + retries used). */
  attempts: number;
  /** Null on success. */
  error: FetchRowError | null;
  /** Present (true) when a redirect went from https to plain http; see `refuseDowngrade`. */
  downgraded?: boolean;
  /** The parsed JSON body, in JSON mode only. */
  json?: unknown;
  /** The final response's Content-Type as sent; null without one or without a response. */
  contentType?: string | null;
  /** The final response's Content-Length; null when not sent or without a response. */
  contentLength?: number | null;
  /** https only: the TLS version and the server certificate's expiry (ISO 8601). */
  tls?: TlsInfo;
  /** With `includeHeaders`: the final response's headers, names lower-case (see response-headers.ts). */
  headers?: Record<string, string | string[]>;
  /** CLI `--dedupe`: this line repeats the URL of input line `duplicateOf` (0-based) and was not fetched again. */
  duplicateOf?: number;
  /** The URL's position in the input (0-based), on rows of an unordered run (`ordered: false`, `--unordered`) only. */
  index?: number;
}

/** What an https row records about its connection. */
export interface TlsInfo {
  /** The negotiated version, as Node names it: `TLSv1.3`, `TLSv1.2`. */
  protocol: string;
  /** When the server's certificate expires, ISO 8601. */
  notAfter: string;
}
