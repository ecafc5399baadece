/** The examples at the end of `gather --help` and `gather fetch --help`. */

/**
 * Examples for people: a file, stdin, CSV to a file, JSON API mode, shell completion.
 *
 * @example
 * ```ts
 * command.addHelpText('after', FETCH_EXAMPLES);
 * ```
 */
export const FETCH_EXAMPLES = `
Examples:
  gather fetch urls.txt                          a file of URLs, one a line: a table on a terminal
  gather fetch https://example.com/ https://example.org/
  grep -h '^https' *.txt | gather fetch -        URLs on stdin; rows as JSONL when piped
  gather fetch urls.txt -c 64 -t 10 -f csv -o pages.csv
                                                 64 at a time, 10 s per URL, CSV to a file
  gather fetch --json -H 'Authorization: Bearer T' https://api.example.com/users/1
                                                 JSON API mode: the parsed body in a json field
  eval "$(gather completion bash)"               tab completion (zsh: gather completion zsh)
`;
