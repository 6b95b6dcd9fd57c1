/** The served OpenAPI document as the tests read it: plain JSON. */
export type OpenApiDoc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, any>; securitySchemes: Record<string, any> } } & Record<string, any>;

const COMPONENT = '#/components/schemas/';

/** A schema with its `$ref`s to a named component followed. */
export function resolveSchema(doc: OpenApiDoc, schema: any): any {
  let current = schema;
  for (let hops = 0; typeof current?.$ref === 'string'; hops++) {
    if (!current.$ref.startsWith(COMPONENT) || hops > 10) throw new Error(`unexpected $ref ${current.$ref}`);
    current = doc.components.schemas[current.$ref.slice(COMPONENT.length)];
  }
  return current;
}

/** The schema of one item of a list operation's 200 page. */
export function listItemSchema(doc: OpenApiDoc, operation: any): any {
  const page = resolveSchema(doc, operation.responses['200'].content['application/json'].schema);
  return resolveSchema(doc, page.properties.results.items);
}
