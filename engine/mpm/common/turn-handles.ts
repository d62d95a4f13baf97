// The accept turn arrives as one IPC message per listening socket (a handle
// each, with their count): a child takes the turn once it holds all of them.

/** Feed it every 'turn' message; it calls `take` with the complete set. */
export function turnCollector(take: (handles: unknown[]) => void): (count: number, handle: unknown) => void {
  let pending: unknown[] = [];
  return (count, handle) => {
    pending.push(handle);
    if (pending.length < count) return;
    const all = pending;
    pending = [];
    take(all);
  };
}
