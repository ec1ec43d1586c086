import { celEnv, isCelError, parse, plan } from '@bufbuild/cel';
import type { CelResult } from '@bufbuild/cel';
import { strings } from '@bufbuild/cel/ext';
import { kubernetesCelLibrary } from './kubernetes-cel-library.ts';
import { RE2JS } from '@bufbuild/re2';
import type { ValidationRule } from './schema-props.ts';

type Program = (bindings: { self: unknown; oldSelf?: unknown }) => CelResult;

/** A compiled `x-kubernetes-validations` entry. */
export interface CompiledRule {
  rule: ValidationRule;
  program: Program;
  /** Transition rule: runs only on update when an old value correlates (unless optionalOldSelf). */
  usesOldSelf: boolean;
  messageProgram?: Program;
}

export interface UnsupportedRule {
  rule: string;
  reason: string;
}

const re2Cache = new Map<string, { test(text: string): boolean }>();
const env = celEnv({
  funcs: [...strings, ...kubernetesCelLibrary],
  re2: {
    compile(pattern: string) {
      let matcher = re2Cache.get(pattern);
      if (matcher === undefined) {
        matcher = RE2JS.compile(pattern);
        re2Cache.set(pattern, matcher);
      }
      return matcher;
    },
  },
});

/** Functions the evaluator handles itself rather than through the resolver. */
const builtIn = new Set(['has', 'all', 'exists', 'exists_one', 'map', 'filter', 'dyn', 'type']);

function calledFunctions(node: unknown, out: Set<string>): void {
  if (typeof node !== 'object' || node === null) return;
  if (Array.isArray(node)) {
    for (const child of node) calledFunctions(child, out);
    return;
  }
  const kind = (node as { exprKind?: { case?: string; value?: { function?: string } } }).exprKind;
  if (kind?.case === 'callExpr' && typeof kind.value?.function === 'string') out.add(kind.value.function);
  for (const value of Object.values(node)) calledFunctions(value, out);
}

function compileExpression(expression: string): Program | Error {
  try {
    const parsed = parse(expression);
    const names = new Set<string>();
    calledFunctions(parsed, names);
    const missing = [...names]
      .filter((name) => !/^[_@]/.test(name) && !builtIn.has(name) && env.funcs.find(name) === undefined)
      .sort()
      .map((name) => `${name}()`);
    if (missing.length > 0) {
      return new Error(`unsupported function${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`);
    }
    return plan(env, parsed) as unknown as Program;
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

/**
 * Compiles one rule; an expression the library cannot compile (syntax it lacks, a Kubernetes
 * CEL library function it does not have) comes back as an UnsupportedRule and is skipped,
 * as KNOWN_DIFFERENCES.md describes, rather than rejecting every object.
 */
export function compileRule(rule: ValidationRule): CompiledRule | UnsupportedRule {
  const program = compileExpression(rule.rule);
  if (program instanceof Error) return { rule: rule.rule, reason: program.message };
  const usesOldSelf = /\boldSelf\b/.test(rule.rule);
  if (usesOldSelf && rule.optionalOldSelf === true) {
    return { rule: rule.rule, reason: 'optionalOldSelf needs CEL optional types' };
  }
  const compiled: CompiledRule = { rule, program, usesOldSelf };
  if (rule.messageExpression !== undefined) {
    const messageProgram = compileExpression(rule.messageExpression);
    if (!(messageProgram instanceof Error)) compiled.messageProgram = messageProgram;
  }
  return compiled;
}

export function isUnsupported(rule: CompiledRule | UnsupportedRule): rule is UnsupportedRule {
  return !('program' in rule);
}

export type RuleOutcome = { ok: true } | { ok: false; message: string; evaluationError: boolean };

export function evaluateRule(compiled: CompiledRule, self: unknown, oldSelf: unknown): RuleOutcome {
  const bindings = compiled.usesOldSelf ? { self, oldSelf } : { self };
  const result = compiled.program(bindings);
  if (result === true) return { ok: true };
  if (isCelError(result)) {
    return {
      ok: false,
      message: `${celErrorText(result.message)} evaluating rule: ${ruleErrorString(compiled.rule)}`,
      evaluationError: true,
    };
  }
  return { ok: false, message: failureMessage(compiled, bindings), evaluationError: false };
}

function failureMessage(compiled: CompiledRule, bindings: { self: unknown; oldSelf?: unknown }): string {
  if (compiled.messageProgram !== undefined) {
    const message = compiled.messageProgram(bindings);
    if (typeof message === 'string' && message.trim() !== '' && !message.includes('\n')) return message;
  }
  if (compiled.rule.message?.trim()) return compiled.rule.message.trim();
  return `failed rule: ${ruleErrorString(compiled.rule)}`;
}

/** How kube-apiserver names a rule in messages: its message if it has one, else its expression. */
function ruleErrorString(rule: ValidationRule): string {
  return rule.message?.trim() || rule.rule.trim();
}

/** cel-go's wording for the runtime errors users see most. */
function celErrorText(message: string): string {
  return message.replace(/^field not found: /, 'no such key: ');
}
