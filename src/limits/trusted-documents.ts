/**
 * Trusted documents (persisted operations by content): only operations that are, up to
 * formatting and unused definitions, one of an allowed set run — the CLI's client/documents,
 * the dashboard's web/documents, any other client's. An operation is compared with its
 * fragments, printed canonically.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  Kind,
  parse,
  print,
  visit,
  type DefinitionNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitExceeded } from './limit-error.ts';

/** The operation and the fragments it uses (transitively), printed in one stable order. */
function canonical(
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
): string | undefined {
  const used = new Map<string, FragmentDefinitionNode>();
  const pending: DefinitionNode[] = [operation];
  while (pending.length > 0) {
    let missing = false;
    visit(pending.pop()!, {
      FragmentSpread(node) {
        const name = node.name.value;
        if (used.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) {
          missing = true;
          return;
        }
        used.set(name, fragment);
        pending.push(fragment);
      },
    });
    if (missing) return undefined;
  }
  const sorted = [...used.values()].sort((a, b) => a.name.value.localeCompare(b.name.value));
  return [operation, ...sorted].map((d) => print(d)).join('\n');
}

function fragmentsOf(definitions: readonly DefinitionNode[]): Map<string, FragmentDefinitionNode> {
  return new Map(
    definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

export class TrustedDocuments {
  private readonly allowed = new Set<string>();
  private verdicts = new WeakMap<DocumentNode, Map<string, boolean>>();

  /** `documents`: GraphQL texts of one set; fragments may be in any of them. */
  constructor(documents: readonly string[] = []) {
    this.add(documents);
  }

  /**
   * Allows the operations of one more set. Fragments resolve within their set: two clients
   * (the CLI and the dashboard) may each name a fragment alike without one's operations
   * being compared with the other's fragment.
   */
  add(documents: readonly string[]): this {
    const definitions = documents.flatMap((text) => parse(text).definitions);
    const fragments = fragmentsOf(definitions);
    for (const op of definitions) {
      if (op.kind !== Kind.OPERATION_DEFINITION) continue;
      const text = canonical(op, fragments);
      if (text !== undefined) this.allowed.add(text);
    }
    // A document refused before may be one of these.
    this.verdicts = new WeakMap();
    return this;
  }

  get size(): number {
    return this.allowed.size;
  }

  allows(document: DocumentNode, operationName?: string | null): boolean {
    const key = operationName ?? '';
    let verdicts = this.verdicts.get(document);
    if (!verdicts) this.verdicts.set(document, (verdicts = new Map()));
    const known = verdicts.get(key);
    if (known !== undefined) return known;
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const operation = operationName
      ? operations.find((op) => op.name?.value === operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
    const text = operation && canonical(operation, fragmentsOf(document.definitions));
    const verdict = text !== undefined && this.allowed.has(text);
    verdicts.set(key, verdict);
    return verdict;
  }
}

/**
 * The `.graphql` files at `paths`: each folder (read one level deep) one client's set, the files
 * named one by one another set together (a file of fragments listed next to its queries).
 */
export function readTrustedDocuments(paths: readonly string[]): TrustedDocuments {
  const trusted = new TrustedDocuments();
  const files: string[] = [];
  for (const path of paths) {
    if (statSync(path).isDirectory()) {
      const names = readdirSync(path)
        .filter((n) => n.endsWith('.graphql'))
        .sort();
      trusted.add(names.map((name) => readFileSync(join(path, name), 'utf8')));
    } else files.push(readFileSync(path, 'utf8'));
  }
  return trusted.add(files);
}

function refusal() {
  return limitExceeded(
    'trustedDocuments',
    'Only trusted documents run on this gateway, and this operation is not one of them.',
    { httpStatus: 403 },
  );
}

/** Refuses, before any resolver, every operation not in `trusted`. */
export function useTrustedDocuments(trusted: TrustedDocuments): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (!trusted.allows(args.document, args.operationName))
        setResultAndStopExecution({ errors: [refusal()] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      if (!trusted.allows(args.document, args.operationName))
        setResultAndStopExecution({ errors: [refusal()] });
    },
  };
}
