import { Type } from 'typebox';
import { MAX_SCAN_ACTIONS } from '../../domain/scans/scan-settings.service.js';
import { Nullable } from './common.schemas.js';
import { ProductSchema } from './company.schemas.js';

const Url = (description: string) => Nullable(Type.String({ maxLength: 2048, description }));
const MaxScanCount = Nullable(Type.Integer({
  minimum: 1, maximum: 1_000_000_000, description: 'Scans after which a code is suspicious; null: no limit.',
}));
const MaxScanAction = Type.Unsafe<'flag' | 'blacklist' | null>({
  type: ['string', 'null'], enum: [...MAX_SCAN_ACTIONS, null],
  description: 'Past the limit: "flag" the scan (default), or "blacklist" the code (reason 10).',
});

export const ProductDetailSchema = Type.Object({
  ...ProductSchema.properties,
  company: Type.Integer(),
  code_count: Type.Integer({
    description: 'Codes generated for the product: the quantities of its generated orders. (Sigil keeps no active or blacklisted '
      + 'counts per product: they would mean reading every code.)',
  }),
  max_scan_count: MaxScanCount,
  max_scan_action: MaxScanAction,
}, { additionalProperties: true });

export const ProductUpdateBody = Type.Object({
  client_url: Type.Optional(Url('Landing page for scans of this product\'s codes (http or https); null: the brand owner\'s.')),
  max_scan_count: Type.Optional(MaxScanCount),
  max_scan_action: Type.Optional(MaxScanAction),
});

export const ScanSettingsSchema = Type.Object({
  landing_url: Url('Landing page for scans of codes whose product sets none; null: Sigil\'s verdict page.'),
  max_scan_count: MaxScanCount,
  max_scan_action: MaxScanAction,
});

export const ScanSettingsBody = Type.Partial(ScanSettingsSchema);
