import type { FastifyInstance } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import { BrandListItem, EquipmentListItem, PrintingPartnerListItem, SubstrateListItem } from './catalog.schemas.js';
import { DetailError, FieldErrorsBody, paginated, ThrottledBody } from './common.schemas.js';
import { CompanySchema, LoginReply, MeSchema } from './company.schemas.js';
import { CombinedInfoResponse, FindResponse, QrCodeSchema } from './consumer.schemas.js';
import { DocumentSchema, DownloadLinkReply } from './documents.schemas.js';
import { WORKORDER_EXAMPLE } from './examples.js';
import { ScanDataPage, ScanRecordSchema } from './scan-data.schemas.js';
import { ProductDetailSchema, ScanSettingsSchema } from './scan-settings.schemas.js';
import { AsyncUploadReply, SyncUploadReply, TaskSchema } from './scm.schemas.js';
import { WorkorderCodeSchema } from './workorder-codes.schemas.js';
import { TemplateSchema, WorkorderSchema } from './workorder.schemas.js';

/**
 * The schemas the OpenAPI document names (`#/components/schemas/<Name>`): each is added to Fastify
 * with `$id: Name` (see addComponentSchemas) and routes point at it with `ref(Name)`, so validation,
 * response serialization and the document all read the same schema. Request bodies stay inline: the
 * strict-scalar check reads their properties from the route schema.
 */

/** A `$ref` to a schema added with `$id: name`, typed as that schema. */
const link = <T extends TSchema>(name: string, _schema: T) => Type.Unsafe<Static<T>>({ $ref: `${name}#` });

const entities = {
  Error: DetailError,
  Throttled: ThrottledBody,
  FieldErrors: FieldErrorsBody,
  Company: CompanySchema,
  LoginToken: LoginReply,
  WorkOrder: Type.Object(WorkorderSchema.properties, {
    description: 'A work order, as the reference API shows it, with Sigil\'s progress and checksum.', examples: [WORKORDER_EXAMPLE],
  }),
  Template: TemplateSchema,
  Product: ProductDetailSchema,
  Brand: BrandListItem,
  Equipment: EquipmentListItem,
  Substrate: SubstrateListItem,
  PrintingPartner: PrintingPartnerListItem,
  Code: WorkorderCodeSchema,
  ScmTask: TaskSchema,
  ScmUploadResult: SyncUploadReply,
  ScmTaskCreated: AsyncUploadReply,
  Document: DocumentSchema,
  DownloadLink: DownloadLinkReply,
  Scan: ScanRecordSchema,
  ScanSettings: ScanSettingsSchema,
  ConsumerCode: QrCodeSchema,
};
type Entity = keyof typeof entities;

const entity = <N extends Entity>(name: N) => link(name, entities[name]);
const page = <N extends Entity>(name: N) => Type.Object(paginated(entity(name)).properties, {
  description: `A page of ${name} objects: follow \`next\` (null on the last page).`,
});

const envelopes = {
  Me: Type.Object({ ...MeSchema.properties, company: entity('Company') }),
  WorkOrderPage: page('WorkOrder'),
  TemplatePage: page('Template'),
  ProductPage: page('Product'),
  BrandPage: page('Brand'),
  EquipmentPage: page('Equipment'),
  SubstratePage: page('Substrate'),
  PrintingPartnerPage: page('PrintingPartner'),
  CodePage: page('Code'),
  ScmTaskPage: page('ScmTask'),
  ScanPage: Type.Object({ ...ScanDataPage.properties, results: Type.Array(entity('Scan')) }, {
    description: 'Offset pages carry `count`; cursor pages (page_mode=cursor) do not, and `previous` is null.',
  }),
  DocumentRequested: Type.Object({ document: entity('Document') }),
  ConsumerCodeDetails: Type.Object({ qrcode: entity('ConsumerCode') }),
  ConsumerScanInfo: Type.Object({ ...CombinedInfoResponse.properties, qrcode: entity('ConsumerCode') }),
  ConsumerFindResult: Type.Object({ ...FindResponse.properties, qr: entity('ConsumerCode') }),
};

const COMPONENTS = { ...entities, ...envelopes };
export type ComponentName = keyof typeof COMPONENTS;

/** Where a route's schema uses a named component: `response: { 200: ref('WorkOrder') }`. */
export const ref = <N extends ComponentName>(name: N) => link(name, COMPONENTS[name]);

/** Adds every named schema to the instance (before the routes that refer to them). */
export function addComponentSchemas(app: FastifyInstance): void {
  for (const [name, schema] of Object.entries(COMPONENTS)) app.addSchema({ ...schema, $id: name });
}

/** The OpenAPI name of a schema added above (@fastify/swagger's `refResolver`); other nested `$id`s keep its numbering. */
export function componentNameOf(json: { $id?: unknown }, index: number): string {
  return typeof json.$id === 'string' && json.$id in COMPONENTS ? json.$id : `def-${index}`;
}

/** Error responses every authenticated route can give. */
export const authErrors = { 401: ref('Error'), 403: ref('Error') };
