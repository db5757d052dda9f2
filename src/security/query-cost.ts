// Estimated work of an operation, from its selections and the list sizes it asks for. Computed with the request's
// variables (a validation rule cannot see them, and `first: $n` must cost what $n says).
import {
  getArgumentValues, getNamedType, getNullableType, getVariableValues, isInterfaceType, isListType, isObjectType, Kind, typeFromAST,
  type DocumentNode, type FieldNode, type FragmentDefinitionNode, type GraphQLField, type GraphQLNamedType, type GraphQLSchema,
  type OperationDefinitionNode, type SelectionSetNode, type ValueNode,
} from 'graphql';
import { fragmentsOf } from './operation-fields';

export interface CostOptions {
  /** Largest page a `first`/`last` argument may ask for. */
  maxPageSize: number;
  /** Assumed length of a list field without a size argument (opening hours, history...). */
  defaultListSize: number;
}

export interface CostReport {
  cost: number;
  /** A `first`/`last` argument above maxPageSize (or below 0), reported before anything runs. */
  oversizedPage?: { coordinate: string; argument: string; value: number };
  /**
   * Whether a size argument (first, last, an id list) was given by a variable: only then can the same operation
   * cost differently with other variables. Otherwise the report holds for every request of this operation.
   */
  dependsOnVariables: boolean;
}

const PAGE_ARGUMENTS = ['first', 'last'];
/** List arguments that fetch one item per element, e.g. ids or instrumentIds. */
const isIdListArgument = (name: string) => name === 'ids' || name.endsWith('Ids');
const isSizeArgument = (name: string) => PAGE_ARGUMENTS.includes(name) || isIdListArgument(name);

function containsVariable(value: ValueNode): boolean {
  if (value.kind === Kind.VARIABLE) return true;
  if (value.kind === Kind.LIST) return value.values.some(containsVariable);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => containsVariable(field.value));
  return false;
}

/**
 * Each field costs 1, times the list size it is fetched at. A field with `first`/`last` or an id-list argument
 * multiplies its whole subtree by that size (its default when omitted); the edges/nodes lists of a connection are
 * already counted by the connection's `first`; other lists count as defaultListSize.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  rawVariables: Record<string, unknown> | undefined,
  options: CostOptions,
): CostReport {
  const root = schema.getRootType(operation.operation);
  if (!root) return { cost: 0, dependsOnVariables: false };
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], rawVariables ?? {}, { maxErrors: 1 });
  // Variables that do not coerce fail execution anyway; cost the operation with argument defaults meanwhile.
  const variables = coerced.coerced ?? {};
  const fragments = fragmentsOf(document);
  const fragmentCost = new Map<string, number>();
  let oversizedPage: CostReport['oversizedPage'];
  let dependsOnVariables = false;

  const sizeOf = (definition: GraphQLField<unknown, unknown>, node: FieldNode, coordinate: string): number | undefined => {
    if (node.arguments?.some((arg) => isSizeArgument(arg.name.value) && containsVariable(arg.value))) dependsOnVariables = true;
    let args: Record<string, unknown>;
    try {
      args = getArgumentValues(definition, node, variables);
    } catch {
      return undefined;
    }
    let size: number | undefined;
    for (const [name, value] of Object.entries(args)) {
      if (PAGE_ARGUMENTS.includes(name) && typeof value === 'number') {
        if ((value > options.maxPageSize || value < 0) && !oversizedPage) oversizedPage = { coordinate, argument: name, value };
        size = Math.max(size ?? 0, value);
      } else if (isIdListArgument(name) && Array.isArray(value)) {
        size = Math.max(size ?? 0, value.length);
      }
    }
    return size;
  };

  const costOf = (selectionSet: SelectionSetNode, parentType: GraphQLNamedType, stack: Set<string>): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        // Meta fields: __typename is free; introspection is off in production and bounded by the schema's size.
        if (name.startsWith('__')) continue;
        const fields = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields() : {};
        const definition = fields[name];
        if (!definition) continue;
        const coordinate = `${parentType.name}.${name}`;
        const explicit = sizeOf(definition, selection, coordinate);
        const connectionItems = parentType.name.endsWith('Connection') && (name === 'edges' || name === 'nodes');
        const listed = isListType(getNullableType(definition.type));
        const multiplier = explicit ?? (listed && !connectionItems ? options.defaultListSize : 1);
        const children = selection.selectionSet ? costOf(selection.selectionSet, getNamedType(definition.type), stack) : 0;
        total += multiplier * (1 + children);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? (typeFromAST(schema, selection.typeCondition) as GraphQLNamedType | undefined) : parentType;
        total += costOf(selection.selectionSet, type ?? parentType, stack);
      } else {
        total += spreadCost(selection.name.value, parentType, stack);
      }
    }
    return total;
  };

  // A fragment costs the same wherever it is spread: computed once, so nested spreads stay linear to cost.
  const spreadCost = (name: string, parentType: GraphQLNamedType, stack: Set<string>): number => {
    const known = fragmentCost.get(name);
    if (known !== undefined) return known;
    const fragment: FragmentDefinitionNode | undefined = fragments.get(name);
    if (!fragment || stack.has(name)) return 0;
    stack.add(name);
    const type = (typeFromAST(schema, fragment.typeCondition) as GraphQLNamedType | undefined) ?? parentType;
    const cost = costOf(fragment.selectionSet, type, stack);
    stack.delete(name);
    fragmentCost.set(name, cost);
    return cost;
  };

  const cost = costOf(operation.selectionSet, root, new Set());
  return oversizedPage ? { cost, oversizedPage, dependsOnVariables } : { cost, dependsOnVariables };
}
