import type { PublicIteration } from '@sauti/core';

/**
 * A survey station's IndexedDB (docs/protocol.md §10.5): the iteration's public data, the
 * participation tokens redeemed in advance, and the queue of sealed responses — ciphertext and
 * wraps only; no answer is ever stored in the clear.
 */
type Row = { key?: number; iterationId: string; value: unknown };
export type StationStore = {
  putIteration: (it: PublicIteration) => Promise<void>;
  iteration: (id: string) => Promise<PublicIteration | null>;
  /** Every iteration prepared on this device (the installed station's start page lists them). */
  iterations: () => Promise<PublicIteration[]>;
  add: (store: 'tokens' | 'queue', iterationId: string, value: unknown) => Promise<void>;
  count: (store: 'tokens' | 'queue', iterationId: string) => Promise<number>;
  /** Removes and returns one entry (a token to spend). */
  take: (store: 'tokens' | 'queue', iterationId: string) => Promise<unknown | null>;
  all: (store: 'tokens' | 'queue', iterationId: string) => Promise<{ key: number; value: unknown }[]>;
  remove: (store: 'tokens' | 'queue', key: number) => Promise<void>;
};

const DB = 'sauti-survey-station';

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });

const committed = (tx: IDBTransaction): Promise<void> =>
  new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
  });

let opened: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opened ??= new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      db.createObjectStore('iterations', { keyPath: 'id' });
      for (const name of ['tokens', 'queue']) db.createObjectStore(name, { keyPath: 'key', autoIncrement: true }).createIndex('iteration', 'iterationId');
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB is not available'));
  });
  return opened;
}

export async function stationStore(): Promise<StationStore> {
  const db = await open();
  const rows = async (store: 'tokens' | 'queue', iterationId: string): Promise<Row[]> =>
    done(db.transaction(store).objectStore(store).index('iteration').getAll(iterationId) as IDBRequest<Row[]>);
  return {
    putIteration: async (it) => {
      const tx = db.transaction('iterations', 'readwrite');
      tx.objectStore('iterations').put(it);
      await committed(tx);
    },
    iteration: async (id) => ((await done(db.transaction('iterations').objectStore('iterations').get(id))) as PublicIteration | undefined) ?? null,
    iterations: async () => (await done(db.transaction('iterations').objectStore('iterations').getAll())) as PublicIteration[],
    add: async (store, iterationId, value) => {
      const tx = db.transaction(store, 'readwrite');
      tx.objectStore(store).add({ iterationId, value } satisfies Row);
      await committed(tx);
    },
    count: async (store, iterationId) => done(db.transaction(store).objectStore(store).index('iteration').count(iterationId)),
    take: async (store, iterationId) => {
      const tx = db.transaction(store, 'readwrite');
      const os = tx.objectStore(store);
      const cursor = await done(os.index('iteration').openCursor(iterationId));
      let value: unknown = null;
      if (cursor) {
        value = (cursor.value as Row).value;
        cursor.delete();
      }
      await committed(tx);
      return value;
    },
    all: async (store, iterationId) => (await rows(store, iterationId)).map((r) => ({ key: r.key!, value: r.value })),
    remove: async (store, key) => {
      const tx = db.transaction(store, 'readwrite');
      tx.objectStore(store).delete(key);
      await committed(tx);
    },
  };
}
