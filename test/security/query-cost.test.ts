// operationCost says whether a cost holds for every request of an operation (the limits plugin keeps such costs per
// document) or depends on the request's variables (worked out every time).
import { expect } from 'chai';
import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { operationCost } from '../../src/security/query-cost';

const schema = buildSchema(`
  type Item { id: ID! tags: [String!]! }
  type Query { items(first: Int = 10, filter: String): [Item!]! byIds(ids: [ID!]!): [Item!]! }
`);
const options = { maxPageSize: 100, defaultListSize: 10 };

function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query);
  return operationCost(schema, document, document.definitions[0] as OperationDefinitionNode, variables, options);
}

describe('operationCost', () => {
  it('is the same for every request when no size argument comes from a variable', () => {
    expect(cost('{ items(first: 5) { id } }')).to.deep.equal({ cost: 10, dependsOnVariables: false });
    expect(cost('{ items { id } }')).to.deep.equal({ cost: 20, dependsOnVariables: false }); // the argument's default
    // A variable in another argument does not change the size.
    expect(cost('query($f: String) { items(first: 3, filter: $f) { id tags } }', { f: 'x' })).to.deep.equal({ cost: 3 * (1 + 1 + 10), dependsOnVariables: false });
  });

  it('depends on the variables when a page size or an id list is given by one, also inside a list', () => {
    expect(cost('query($n: Int) { items(first: $n) { id } }', { n: 7 })).to.deep.equal({ cost: 14, dependsOnVariables: true });
    expect(cost('query($n: Int) { items(first: $n) { id } }', { n: 70 })).to.deep.equal({ cost: 140, dependsOnVariables: true });
    expect(cost('query($id: ID!) { byIds(ids: [$id, "2", "3"]) { id } }', { id: '1' })).to.deep.equal({ cost: 6, dependsOnVariables: true });
    expect(cost('query($n: Int) { items(first: $n) { id } }', { n: 500 })).to.deep.include({
      dependsOnVariables: true, oversizedPage: { coordinate: 'Query.items', argument: 'first', value: 500 },
    });
  });
});
