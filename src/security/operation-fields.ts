// Walks the fields an operation selects (through inline fragments and fragment spreads), with each field's parent
// type, so the partner allow-list can check a request before it runs.
import {
  getNamedType, isObjectType, isInterfaceType, typeFromAST,
  type DocumentNode, type FieldNode, type GraphQLField, type GraphQLNamedType, type GraphQLSchema,
  type SelectionSetNode, Kind, type FragmentDefinitionNode,
} from 'graphql';

export interface VisitedField {
  node: FieldNode;
  parentType: GraphQLNamedType;
  /** undefined for meta fields (__typename, __schema, __type) */
  definition?: GraphQLField<unknown, unknown>;
}

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}


/**
 * Calls visit for every field in the selection set; visit returns whether to descend into the field's own
 * selection set. Each fragment is walked once however often it is spread: a document that spreads fragments
 * into fragments many times over must not make this walk exponential (it answers "which fields", not "how often").
 */
export function walkSelections(
  schema: GraphQLSchema,
  fragments: Map<string, FragmentDefinitionNode>,
  selectionSet: SelectionSetNode,
  parentType: GraphQLNamedType,
  visit: (field: VisitedField) => boolean,
  walkedFragments: Set<string> = new Set(),
): void {
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const fields = isObjectType(parentType) || isInterfaceType(parentType) ? parentType.getFields() : {};
      const definition = selection.name.value.startsWith('__') ? undefined : fields[selection.name.value];
      const descend = visit({ node: selection, parentType, definition });
      if (descend && selection.selectionSet && definition) {
        walkSelections(schema, fragments, selection.selectionSet, getNamedType(definition.type), visit, walkedFragments);
      }
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      const type = selection.typeCondition ? typeFromAST(schema, selection.typeCondition) : parentType;
      walkSelections(schema, fragments, selection.selectionSet, (type as GraphQLNamedType | undefined) ?? parentType, visit, walkedFragments);
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      if (!fragment || walkedFragments.has(name)) continue;
      walkedFragments.add(name);
      const type = (typeFromAST(schema, fragment.typeCondition) as GraphQLNamedType | undefined) ?? parentType;
      walkSelections(schema, fragments, fragment.selectionSet, type, visit, walkedFragments);
    }
  }
}

