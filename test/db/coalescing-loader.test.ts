import { expect } from 'chai';
import { coalescingLoader } from '../../src/db/coalescing-loader';

describe('coalescingLoader', () => {
  /** A batch function whose batches finish only when the test says so. */
  function controlled() {
    const batches: { keys: number[]; finish(): void; fail(error: Error): void }[] = [];
    const loader = coalescingLoader<number, string>((keys) =>
      new Promise((resolve, reject) => {
        batches.push({ keys: [...keys], finish: () => resolve(keys.map((k) => `v${k}`)), fail: reject });
      }));
    return { loader, batches };
  }
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('sends a lone call at once, in a batch of its own', async () => {
    const { loader, batches } = controlled();
    const value = loader.load(1);
    await tick();
    expect(batches.map((b) => b.keys)).to.deep.equal([[1]]);
    batches[0].finish();
    expect(await value).to.equal('v1');
  });

  it('holds the calls made while a batch is in flight and sends them together once it is done', async () => {
    const { loader, batches } = controlled();
    const first = loader.load(1);
    await tick();
    const waiting = [loader.load(2), loader.load(3)];
    await tick();
    const later = loader.load(4);
    await tick();
    expect(batches.map((b) => b.keys)).to.deep.equal([[1]]);
    batches[0].finish();
    await first;
    await tick();
    expect(batches.map((b) => b.keys)).to.deep.equal([[1], [2, 3, 4]]);
    batches[1].finish();
    expect(await Promise.all([...waiting, later])).to.deep.equal(['v2', 'v3', 'v4']);
  });

  it('fails every call of a failed batch, and serves the next calls afterwards', async () => {
    const { loader, batches } = controlled();
    const failed = [loader.load(1), loader.load(2)].map((p) => p.catch((error: Error) => error.message));
    await tick();
    batches[0].fail(new Error('database gone'));
    expect(await Promise.all(failed)).to.deep.equal(['database gone', 'database gone']);
    const next = loader.load(3);
    await tick();
    batches[1].finish();
    expect(await next).to.equal('v3');
  });
});
