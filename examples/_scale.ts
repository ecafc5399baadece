// Shared by the examples: the seed's delays are in seconds; tests run the same stories faster by
// setting GATHER_EXAMPLE_SCALE (0.05 turns 1 s into 50 ms). Printed delays stay in story seconds.
const raw = Number(process.env.GATHER_EXAMPLE_SCALE ?? '1');
export const SCALE = Number.isFinite(raw) && raw > 0 ? raw : 1;

/** Milliseconds to really wait for a delay of `seconds` in the story. */
export function ms(seconds: number): number {
  return seconds * 1000 * SCALE;
}

/** Story seconds elapsed since `start` (a performance.now() reading), as "3.00". */
export function elapsed(start: number): string {
  return ((performance.now() - start) / 1000 / SCALE).toFixed(2);
}
