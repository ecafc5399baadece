/**
 * What `--resume` and `--dedupe` change in a run of `gather fetch`, behind one interface: which URLs
 * are fetched, which rows come out, where the output is written and how it is finished.
 */
import type { FetchRow } from '../http/types.js';
import { UsageError } from './errors.js';
import type { OutputFormat } from './formats.js';
import type { OutputChoices } from './output-flags.js';
import { commitResume, loadResume, type ResumeState } from './resume.js';
import { RowPlan } from './row-plan.js';

/** A run prepared for its output. */
export interface PreparedRun {
  /** What to hand to fetchAll. */
  urls: AsyncIterable<string> | Iterable<string>;
  /** Where to write (a file next to `-o FILE` when resuming). */
  outputPath: string | undefined;
  /** Every input line's row in order, from fetchAll's rows. */
  rows(fetched: AsyncIterable<FetchRow>): AsyncIterable<FetchRow>;
  /** Writes the kept rows the run did not reach (it was interrupted): they must not be lost. */
  writeLeftovers(write: (row: FetchRow) => Promise<void> | void): Promise<void>;
  /** The output is complete and closed: put it in place. */
  commit(): void;
}

/**
 * Prepares a run: nothing changes without `resume` and `dedupe`.
 *
 * @example
 * ```ts
 * const prepared = await prepareRun(urls, { resume: true }, 'rows.jsonl', 'jsonl');
 * for await (const row of prepared.rows(fetchAll(prepared.urls))) await writer.write(row);
 * ```
 */
export async function prepareRun(
  urls: AsyncIterable<string> | Iterable<string>,
  choices: OutputChoices,
  output: string | undefined,
  format: OutputFormat,
): Promise<PreparedRun> {
  if (!choices.resume && !choices.dedupe) {
    return { urls, outputPath: output, rows: (fetched) => fetched, writeLeftovers: async () => {}, commit: () => {} };
  }
  let resume: ResumeState | undefined;
  let input = urls;
  if (choices.resume) {
    if (output === undefined) throw new UsageError('gather: --resume needs -o FILE (the file to continue)');
    const lines: string[] = [];
    for await (const line of urls) lines.push(line);
    resume = loadResume(output, format, lines);
    input = lines;
  }
  const plan = new RowPlan(input, { ...(resume ? { kept: resume.kept } : {}), dedupe: choices.dedupe === true });
  return {
    urls: plan.urls,
    outputPath: resume ? resume.tempPath : output,
    rows: (fetched) => plan.rows(fetched),
    async writeLeftovers(write) {
      for (const row of plan.leftovers()) {
        const pending = write(row);
        if (pending) await pending;
      }
    },
    commit() {
      if (resume) commitResume(resume);
    },
  };
}
