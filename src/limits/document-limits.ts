/**
 * GraphQL Armor's document limits — depth, aliases, directives (validation) and tokens (the
 * parser) — answering with the gateway's typed LIMIT_EXCEEDED error instead of Armor's plain
 * "Syntax Error" message. All of them run before execution, over HTTP, SSE and graphql-ws alike.
 */
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { limitExceeded, type LimitName } from './limit-error.ts';
import type { RequestLimits } from './request-limits.ts';

const found = (armorError: GraphQLError): number | undefined => {
  const match = /found (\d+)/.exec(armorError.message);
  return match ? Number(match[1]) : undefined;
};

const describe: Record<'depth' | 'aliases' | 'directives', (max: number, n?: number) => string> = {
  depth: (max, n) => `Query depth ${n ?? 'above the limit'} exceeds the depth limit of ${max}.`,
  aliases: (max, n) => `${n ?? 'More'} aliases exceed the aliases limit of ${max}.`,
  directives: (max, n) => `${n ?? 'More'} directives exceed the directives limit of ${max}.`,
};

/** Armor's rejection, reported as a validation error of the gateway's own type. */
function reportAs(limit: 'depth' | 'aliases' | 'directives', max: number) {
  return {
    propagateOnRejection: false,
    onReject: [
      (ctx: ValidationContext | null, error: GraphQLError) => {
        const n = found(error);
        ctx?.reportError(
          limitExceeded(limit, describe[limit](max, n), { max, ...(n === undefined ? {} : { found: n }) }),
        );
      },
    ],
  };
}

function throwTokenLimit(max: number): (ctx: unknown, error: GraphQLError) => never {
  const limit: LimitName = 'tokens';
  return () => {
    throw limitExceeded(limit, `The document has more than ${max} tokens, the tokens limit.`, { max });
  };
}

/** Depth counts fields only: a fragment spread is where its fields are, not a level of its own. */
export function documentLimitPlugins(limits: RequestLimits): Plugin[] {
  return [
    maxTokensPlugin({ n: limits.tokens, onReject: [throwTokenLimit(limits.tokens)] }),
    maxDepthPlugin({ n: limits.depth, flattenFragments: true, ...reportAs('depth', limits.depth) }),
    maxAliasesPlugin({ n: limits.aliases, ...reportAs('aliases', limits.aliases) }),
    maxDirectivesPlugin({ n: limits.directives, ...reportAs('directives', limits.directives) }),
  ] as Plugin[];
}
