import { FieldNode, getArgumentValues, GraphQLCompositeType, GraphQLObjectType, GraphQLResolveInfo } from 'graphql';
import { ENTITY_TYPES, EntityType } from '../estate/model';
import { readRecordSelection, RecordFields, selectedFields } from '../estate/projection';

/**
 * One list of a report as the selection asks for it: the `first` records of `type` (any when
 * null) after the cursor `after`, both as the client gave them (checked by the service).
 */
export interface RadiusWindow {
  type: EntityType | null;
  first: number | null;
  after: string | null;
}

/**
 * What an ImpactReport's selection reads, so that its traversal ships that and no more: which
 * properties of the reached records, whether any path, which properties of owners and vendors
 * (null: not selected), and which windows of the records (null: all of them).
 */
export interface ReachShape {
  record: RecordFields;
  paths: boolean;
  owners: RecordFields | null;
  vendors: RecordFields | null;
  windows: RadiusWindow[] | null;
}

/** Everything: for a report whose selection is not known, or has a field this reader cannot place. */
export function wholeShape(): ReachShape {
  return { record: new RecordFields(true), paths: true, owners: new RecordFields(true), vendors: new RecordFields(true), windows: null };
}

/**
 * Reads the selection of the ImpactReport this field resolves to (of its subfield `under`, for a
 * payload that holds one), through aliases and fragments, with the page arguments of each list.
 * Record fields are read as readRecordSelection does; a field of the report this does not know
 * asks for everything, which costs speed, never a value.
 */
export function reachShape(info: GraphQLResolveInfo, under?: string): ReachShape {
  const { schema, fragments, variableValues } = info;
  const objectType = (name: string) => schema.getType(name) as GraphQLObjectType;
  const shape: ReachShape = { record: new RecordFields(), paths: false, owners: null, vendors: null, windows: [] };
  let whole = false;

  const records = (type: string, node: FieldNode, into = shape.record) =>
    readRecordSelection(schema, fragments, schema.getType(type) as GraphQLCompositeType, node.selectionSet, into);
  const window = (type: EntityType | null, on: string, node: FieldNode): RadiusWindow => {
    const { first, after } = getArgumentValues(objectType(on).getFields()[node.name.value], node, variableValues) as { first?: number | null; after?: string | null };
    return { type, first: first ?? null, after: after ?? null };
  };
  const unknown = () => {
    shape.record.all = true;
    shape.paths = true;
  };

  const readPath = (node: FieldNode) => {
    shape.paths = true;
    for (const field of selectedFields(node.selectionSet, fragments)) {
      const name = field.name.value;
      if (name === 'text') shape.record.names.add('name');
      else if (name === 'nodes') records('Entity', field);
      else if (name === 'steps') {
        for (const step of selectedFields(field.selectionSet, fragments)) {
          if (step.name.value === 'from' || step.name.value === 'to') records('Entity', step);
          else if (step.name.value !== 'type' && step.name.value !== '__typename') unknown();
        }
      } else if (name !== '__typename') unknown();
    }
  };
  const readItem = (node: FieldNode) => {
    for (const field of selectedFields(node.selectionSet, fragments)) {
      const name = field.name.value;
      if (name === 'entity') records('Entity', field);
      else if (name === 'path') readPath(field);
      else if (name !== 'distance' && name !== 'cursor' && name !== '__typename') unknown();
    }
  };
  const readDecision = (node: FieldNode) => {
    for (const field of selectedFields(node.selectionSet, fragments)) {
      const name = field.name.value;
      if (name === 'decision') records('Decision', field);
      else if (name === 'impactLevel' || name === 'humanInTheLoop') shape.record.names.add(name);
      else if (name === 'path') readPath(field);
      else if (name !== 'distance' && name !== 'cursor' && name !== '__typename') unknown();
    }
  };

  const reportNodes = under ? info.fieldNodes.flatMap((node) => selectedFields(node.selectionSet, fragments).filter((field) => field.name.value === under)) : info.fieldNodes;
  for (const field of reportNodes.flatMap((node) => selectedFields(node.selectionSet, fragments))) {
    switch (field.name.value) {
      case 'items':
        shape.windows!.push(window(null, 'ImpactReport', field));
        readItem(field);
        break;
      case 'decisions':
        shape.windows!.push(window('Decision', 'ImpactReport', field));
        readDecision(field);
        break;
      case 'groups':
        for (const groupField of selectedFields(field.selectionSet, fragments)) {
          if (groupField.name.value === 'items') {
            const paged = window(null, 'ReachedGroup', groupField);
            // Unpaged, the groups' items together are every record; paged, each type is its own list.
            shape.windows!.push(...(paged.first === null && paged.after === null ? [paged] : ENTITY_TYPES.map((type) => ({ ...paged, type }))));
            readItem(groupField);
          } else if (!['type', 'count', '__typename'].includes(groupField.name.value)) unknown();
        }
        break;
      case 'owners':
        records('Owner', field, (shape.owners ??= new RecordFields()));
        break;
      case 'vendors':
        records('Vendor', field, (shape.vendors ??= new RecordFields()));
        break;
      // Read by their own resolvers: the instant, and the comparison (comparisonShape).
      case 'asOf':
      case 'comparison':
      case 'root':
      case 'count':
      case 'truncated':
      case 'nodeLimit':
      case 'direction':
      case 'maxDepth':
      case '__typename':
        break;
      default:
        whole = true;
    }
  }
  return whole ? wholeShape() : shape;
}

/** What a RadiusComparison's selection reads of its records (entered, left and moved alike). */
export function comparisonShape(info: GraphQLResolveInfo): RecordFields {
  const { schema, fragments } = info;
  const record = new RecordFields();
  for (const list of info.fieldNodes.flatMap((node) => selectedFields(node.selectionSet, fragments))) {
    for (const field of selectedFields(list.selectionSet, fragments)) {
      if (field.name.value === 'entity') readRecordSelection(schema, fragments, schema.getType('Entity') as GraphQLCompositeType, field.selectionSet, record);
    }
  }
  return record;
}

/**
 * What a LineageGraph's selection reads: which properties of the reached records, whether the
 * edges among them (a query of their own in the traversal), and whether the edges' properties.
 */
export interface LineageShape {
  record: RecordFields;
  edges: boolean;
  edgeProperties: boolean;
}

export function wholeLineageShape(): LineageShape {
  return { record: new RecordFields(true), edges: true, edgeProperties: true };
}

/** Reads the selection of the LineageGraph this field resolves to, as reachShape does for a report. */
export function lineageShape(info: GraphQLResolveInfo): LineageShape {
  const { schema, fragments } = info;
  const shape: LineageShape = { record: new RecordFields(), edges: false, edgeProperties: false };
  for (const field of info.fieldNodes.flatMap((node) => selectedFields(node.selectionSet, fragments))) {
    const name = field.name.value;
    if (name === 'nodes') {
      for (const nodeField of selectedFields(field.selectionSet, fragments)) {
        if (nodeField.name.value === 'entity') readRecordSelection(schema, fragments, schema.getType('Entity') as GraphQLCompositeType, nodeField.selectionSet, shape.record);
        else if (!['distance', 'direction', '__typename'].includes(nodeField.name.value)) shape.record.all = true;
      }
    } else if (name === 'edges') {
      shape.edges = true;
      if (selectedFields(field.selectionSet, fragments).some((edgeField) => !['type', 'fromId', 'toId', '__typename'].includes(edgeField.name.value))) shape.edgeProperties = true;
    } else if (!['root', 'truncated', 'nodeLimit', '__typename'].includes(name)) {
      return wholeLineageShape();
    }
  }
  return shape;
}
