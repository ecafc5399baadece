// What is keeping the process alive, for "nothing left open" assertions.

/** Active handle kinds now, as a sorted multiset (e.g. ['TCPSocketWrap', 'Timeout']). */
export function activeResources(): string[] {
  return process.getActiveResourcesInfo().filter((kind) => kind !== 'TTYWrap' && kind !== 'PipeWrap').sort();
}

/** Lets closes that were already started finish (socket close callbacks run on later ticks). */
export async function settleHandles(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
}
