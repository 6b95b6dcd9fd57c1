import { Type } from 'typebox';
import { Nullable } from './common.schemas.js';

const open = { additionalProperties: true } as const;

export const CompanySchema = Type.Object({
  id: Type.Integer(),
  uuid: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  company_type: Type.String({ enum: ['brand_owner', 'printing_partner', 'platform'] }),
  address: Type.String(),
  country: Type.String(),
  city: Type.String(),
  website: Type.String(),
  creation_date: Type.String(),
  has_secure_workflow: Type.Boolean(),
  serial_number_format: Type.String(),
  is_validated: Type.Boolean(),
  encryption_key: Type.String(),
  company_workflow_survey: Type.Object({}, open),
  workflow_survey: Type.Object({}, open),
}, open);

export const BrandSchema = Type.Object({
  id: Type.Integer(), name: Type.String(), reference: Nullable(Type.String()), image: Nullable(Type.String()),
}, open);

export const ProductSchema = Type.Object({
  id: Type.Integer(),
  sku: Type.String(),
  name: Type.String(),
  description: Type.String(),
  image: Nullable(Type.String()),
  brand: Nullable(BrandSchema),
  creation_date: Type.String(),
  is_archived: Type.Boolean(),
  client_url: Nullable(Type.String({ description: 'Landing page scans of this product\'s codes redirect to (with `scan_id`).' })),
}, open);

export const EquipmentSchema = Type.Object({
  id: Type.Integer(), name: Type.String(), description: Type.String(), dpi: Type.Integer(), company: Type.Integer(),
}, open);

export const SubstrateSchema = Type.Object({
  id: Type.Integer(), name: Type.String(), description: Type.String(),
}, open);

export const MeSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  email: Type.String(),
  first_name: Type.String(),
  last_name: Type.String(),
  company: CompanySchema,
  permissions: Type.Array(Type.String()),
  auth_method: Type.String({ enum: ['uat', 'jwt'] }),
});

export const LoginBody = Type.Object({
  username: Type.Optional(Type.String({ maxLength: 254 })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  password: Type.String({ maxLength: 1024 }),
});

export const LoginReply = Type.Object({ token: Type.String(), expires_at: Type.String() });
