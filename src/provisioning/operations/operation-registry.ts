import type { OperationType } from './operation-type.ts';

/** The operation types a gateway can drive, by name (`spec.type` of an Operation object). */
export class OperationRegistry {
  private readonly types = new Map<string, OperationType>();

  constructor(types: readonly OperationType[] = []) {
    for (const type of types) this.register(type);
  }

  register(type: OperationType): this {
    if (this.types.has(type.name)) throw new Error(`operation type '${type.name}' is registered twice`);
    this.types.set(type.name, type);
    return this;
  }

  get(name: string): OperationType | undefined {
    return this.types.get(name);
  }

  names(): string[] {
    return [...this.types.keys()].sort();
  }
}
