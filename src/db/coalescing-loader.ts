// Lookups that many concurrent jobs of one worker process make, one key each (a booking's facts, a delivery marked
// sent): DataLoader without its cache, dispatched so that no call waits when the database is idle. A batch goes out
// on the next tick when none is in flight; calls made while one is in flight wait for it and go out together as the
// next batch, one statement for all of them. So the busier the database, the fewer statements per job, and an idle
// worker pays nothing for the batching.
import DataLoader from 'dataloader';

export function coalescingLoader<K, V>(batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>, maxBatchSize = 100): DataLoader<K, V> {
  let inFlight = 0;
  let drained: (() => void)[] = [];
  const settle = () => {
    inFlight -= 1;
    if (inFlight === 0) {
      const waiting = drained;
      drained = [];
      for (const dispatch of waiting) dispatch();
    }
  };
  return new DataLoader<K, V>(
    (keys) => {
      inFlight += 1;
      return batch(keys).finally(settle);
    },
    {
      cache: false,
      maxBatchSize,
      batchScheduleFn: (dispatch) => (inFlight === 0 ? process.nextTick(dispatch) : drained.push(dispatch)),
    },
  );
}
