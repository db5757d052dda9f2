// Per-operation limits, checked after parsing and validation and before anything executes: shape (depth,
// aliases, directives: GraphQL Armor's rules), page sizes and cost (with the request's variables), and the
// partner allow-list. Every refusal is a typed error with a 4xx status, never a 500.
import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { GraphQLError, validate, type DocumentNode, type OperationDefinitionNode, type ValidationRule } from 'graphql';
import type { Config } from '../config';
import type { GraphQLContext } from '../graphql/context';
import { MAX_PAGE_SIZE } from '../graphql/pagination';
import { partnerForbiddenField } from './partner-allow-list';
import { operationCost, type CostReport } from './query-cost';

export interface GraphQLLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  maxTokens: number;
  maxCost: number;
  maxPageSize: number;
  /** Assumed length of list fields that take no size argument. */
  defaultListSize: number;
}

export function limitsFromConfig(cfg: Config): GraphQLLimits {
  return {
    maxDepth: cfg.GRAPHQL_MAX_DEPTH,
    maxAliases: cfg.GRAPHQL_MAX_ALIASES,
    maxDirectives: 20,
    maxTokens: cfg.GRAPHQL_MAX_TOKENS,
    maxCost: cfg.GRAPHQL_MAX_COST,
    maxPageSize: MAX_PAGE_SIZE,
    defaultListSize: 10,
  };
}

const refusal = (code: string, message: string, status: number, extensions: Record<string, unknown> = {}) =>
  new GraphQLError(message, { extensions: { code, ...extensions, http: { status } } });

/** Armor's rules, reporting into the validation context (instead of throwing) so one pass collects them. */
function armorRules(limits: GraphQLLimits, production: boolean): { rules: ValidationRule[]; plugins: ApolloServerPlugin[] } {
  const report = {
    propagateOnRejection: false,
    onReject: [(context: { reportError(error: GraphQLError): void } | null, error: GraphQLError) => context?.reportError(error)],
  };
  const { validationRules, plugins } = new ApolloArmor({
    maxDepth: { n: limits.maxDepth, ...report },
    // __typename aliases count too: a thousand aliases are refused whatever they name.
    maxAliases: { n: limits.maxAliases, allowList: [], ...report },
    maxDirectives: { n: limits.maxDirectives, ...report },
    // Cost needs the variables (see query-cost.ts); tokens are bounded by the parser itself (parseOptions).
    costLimit: { enabled: false },
    maxTokens: { enabled: false },
    // Armor masks only `Did you mean "x"`, not enum values or fragments: hideSuggestions below does all of them.
    blockFieldSuggestion: { enabled: false },
  }).protect();
  return { rules: validationRules, plugins: [...(plugins as ApolloServerPlugin[]), ...(production ? [hideSuggestions] : [])] };
}

// graphql-js suggests names of fields, arguments, types and enum values ("Did you mean "x"?", "Did you mean the
// enum value "X"?", "Did you mean to use an inline fragment on "T"?"): without introspection they would still leak
// the schema, so production answers drop them.
const SUGGESTION = /\s*Did you mean [^?]*\?/g;
const hideSuggestions: ApolloServerPlugin = {
  async requestDidStart() {
    return {
      async didEncounterErrors({ errors }) {
        for (const error of errors) error.message = error.message.replace(SUGGESTION, '');
      },
    };
  },
};

/** Apollo options and plugins that bound every operation. */
export function graphqlLimits(limits: GraphQLLimits, options: { production: boolean }) {
  const armor = armorRules(limits, options.production);
  // Apollo hands every request of the same query text the same parsed document (its document cache), so what
  // depends on the document alone is worked out once per document, not per request: held weakly, dropped with it.
  const shapeErrors = new WeakMap<DocumentNode, readonly GraphQLError[]>();
  const staticCosts = new WeakMap<OperationDefinitionNode, CostReport>();
  const partnerFields = new WeakMap<OperationDefinitionNode, string | null>();
  const plugin: ApolloServerPlugin<GraphQLContext> = {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          if (!operation) return; // Apollo has already refused a document without a matching operation
          let shape = shapeErrors.get(document);
          if (!shape) {
            shape = validate(schema, document, armor.rules);
            shapeErrors.set(document, shape);
          }
          if (shape.length) {
            throw refusal('QUERY_TOO_COMPLEX', shape[0].message.replace(/^Syntax Error: /, ''), 400);
          }
          let report = staticCosts.get(operation);
          if (!report) {
            report = operationCost(schema, document, operation, request.variables, {
              maxPageSize: limits.maxPageSize,
              defaultListSize: limits.defaultListSize,
            });
            if (!report.dependsOnVariables) staticCosts.set(operation, report);
          }
          const { cost, oversizedPage } = report;
          if (oversizedPage) {
            throw refusal(
              'BAD_USER_INPUT',
              `${oversizedPage.argument} must be between 1 and ${limits.maxPageSize} (got ${oversizedPage.value} on ${oversizedPage.coordinate}): page through longer lists with after.`,
              400,
              { field: oversizedPage.argument },
            );
          }
          if (cost > limits.maxCost) {
            throw refusal(
              'QUERY_TOO_COMPLEX',
              `Query cost ${Math.round(cost)} exceeds the limit of ${limits.maxCost}: ask for smaller pages or fewer nested lists.`,
              400,
              { cost: Math.round(cost), maxCost: limits.maxCost },
            );
          }
          if (contextValue.viewer.kind === 'PARTNER') {
            let field = partnerFields.get(operation);
            if (field === undefined) {
              field = partnerForbiddenField(schema, document, operation);
              partnerFields.set(operation, field);
            }
            if (field) {
              throw refusal('FORBIDDEN', `Partner API keys may read labs, instruments and free/busy time only; ${field} is not available to them.`, 403);
            }
          }
        },
      };
    },
  };
  return {
    plugins: [plugin, ...armor.plugins],
    parseOptions: { maxTokens: limits.maxTokens },
  };
}
