/**
 * Whether the CLI colours its output: `--color auto|always|never`, `FORCE_COLOR`, `NO_COLOR`, and
 * whether the output is a terminal. No dependencies, so parsing flags loads nothing else.
 */

/**
 * The values of `--color`.
 *
 * @example
 * ```ts
 * const mode: ColorMode = 'auto';
 * ```
 */
export type ColorMode = 'auto' | 'always' | 'never';

/**
 * Every {@link ColorMode}, for flag validation and `--help`.
 *
 * @example
 * ```ts
 * choiceFlag(COLOR_MODES)('never'); // 'never'
 * ```
 */
export const COLOR_MODES: readonly ColorMode[] = ['auto', 'always', 'never'];

/**
 * Whether to colour output going to a stream. In order: `--color always|never` wins; then
 * `FORCE_COLOR` (set and not `0`/`false`: colour; `0`/`false`: none), then `NO_COLOR` (set and not
 * empty: none; see no-color.org), as Node itself ranks them; then colour only on a terminal whose
 * `TERM` is not `dumb`.
 *
 * @example
 * ```ts
 * wantsColor('auto', process.stdout.isTTY === true, process.env);
 * ```
 */
export function wantsColor(mode: ColorMode, isTerminal: boolean, env: NodeJS.ProcessEnv): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force.toLowerCase() !== 'false';
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return isTerminal && env.TERM !== 'dumb';
}
