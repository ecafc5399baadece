// Seed: "Cancelling gather". Cancelling the gather cancels every child; each child sees it (its
// sleep rejects with CancelledError, with no signal passed by hand) and can clean up.
import { CancelledError, gather, sleep } from 'gather';
import { ms } from './_scale.js';

async function longTask(id: number): Promise<string> {
  try {
    await sleep(ms(10));
    return `Task ${id} finished`;
  } catch (error) {
    if (error instanceof CancelledError) console.log(`Task ${id} cancelled`);
    throw error;
  }
}

// Jobs (functions) rather than promises: gather starts them, so it can cancel them.
const gatherTask = gather(
  () => longTask(1),
  () => longTask(2),
  () => longTask(3),
);

await sleep(ms(1));
gatherTask.cancel(); // cancels all three

try {
  await gatherTask;
} catch (error) {
  if (error instanceof CancelledError) console.log('All tasks cancelled');
  else throw error;
}
