// Seed: "Result order is preserved". Random delays; results still come in argument order.
import { gather, sleep } from 'gather';
import { ms } from './_scale.js';

async function fetchWithDelay(id: number): Promise<string> {
  const delay = 0.1 + Math.random() * 0.9;
  await sleep(ms(delay));
  return `ID-${id} (delay ${delay.toFixed(2)}s)`;
}

const results = await gather(fetchWithDelay(1), fetchWithDelay(2), fetchWithDelay(3));
results.forEach((result, i) => console.log(`Result ${i + 1}: ${result}`));
