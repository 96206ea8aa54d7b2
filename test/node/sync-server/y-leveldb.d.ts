// y-leveldb ships types, but its package.json "exports" does not point at
// them; the tests use it only to prove the data directory stays readable by it.
declare module 'y-leveldb' {
  import type * as Y from 'yjs';

  export class LeveldbPersistence {
    constructor(location: string);
    getYDoc(docName: string): Promise<Y.Doc>;
    getAllDocNames(): Promise<string[]>;
    destroy(): Promise<void>;
  }
}
