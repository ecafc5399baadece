/** The examples at the end of `gather --help` and `gather fetch --help`, each line within 80 columns. */

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
  gather fetch urls.txt                      a file of URLs, one a line
  gather fetch https://example.com/          URLs as arguments
  grep -h ^https *.txt | gather fetch -      URLs on stdin (JSONL when piped)
  gather fetch urls.txt -f csv -o pages.csv  CSV to a file
  gather fetch urls.txt -c 64 -t 10          64 at a time, 10 seconds per URL
  gather fetch --json https://api.example.com/users/1
                                             JSON API mode: body in a json field
  eval "$(gather completion bash)"           tab completion (also: zsh)
`;
