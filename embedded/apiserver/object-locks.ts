/**
 * Per-object write serialisation: requests that read-modify-write the same object run one after
 * another, so admission plugins that yield cannot make concurrent patches overwrite each other.
 */
export class ObjectLocks {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

export function objectKey(
  storageKey: string,
  namespace: string | undefined,
  name: string | undefined,
): string {
  return `${storageKey}\0${namespace ?? ''}\0${name ?? ''}`;
}
