import { Argon2Busy, Argon2Gate } from './passwords';

describe('Argon2Gate (bounded argon2 work per process)', () => {
  it('runs at most `concurrency` at once, queues the rest in order, and refuses with Argon2Busy past the queue deadline', async () => {
    const gate = new Argon2Gate(1, 50);
    let release!: () => void;
    const blocker = gate.run(() => new Promise<void>((r) => (release = r)));
    expect(gate.stats).toEqual({ active: 1, waiting: 0 });
    const queued = gate.run(async () => 'second');
    expect(gate.stats).toEqual({ active: 1, waiting: 1 });
    // The waiter's deadline passes while the first still holds the place.
    await expect(queued).rejects.toBeInstanceOf(Argon2Busy);
    expect(gate.stats).toEqual({ active: 1, waiting: 0 });
    const third = gate.run(async () => 'third');
    release();
    await blocker;
    await expect(third).resolves.toBe('third');
    expect(gate.stats).toEqual({ active: 0, waiting: 0 });
  });

  it('bounds the queue itself: a flood is refused at once rather than held in memory', async () => {
    const gate = new Argon2Gate(1, 10_000);
    let release!: () => void;
    const blocker = gate.run(() => new Promise<void>((r) => (release = r)));
    const waiting = Array.from({ length: 64 }, () => gate.run(async () => 1));
    await expect(gate.run(async () => 1)).rejects.toBeInstanceOf(Argon2Busy);
    release();
    await blocker;
    await expect(Promise.all(waiting)).resolves.toHaveLength(64);
  });
});
