/** UAT/user permission names (reference API §3). */
export const WORKORDER_PERMISSIONS = [
  'workorder_view',
  'workorder_create',
  'workorder_edit',
  'workorder_cancel',
  'workorder_archive',
  'workorder_download',
  'workorder_sid_download',
  'workorder_delete',
] as const;

/** Codes after printing: products and their scan settings, code data, activation and blacklisting, scans. */
export const CODE_PERMISSIONS = [
  'product_view',
  'product_edit',
  'codes_view',
  'scm_bulk_edit',
  'scm_code_edit',
  'scans_download',
] as const;

export type Permission = (typeof WORKORDER_PERMISSIONS)[number] | (typeof CODE_PERMISSIONS)[number];

export const ALL_PERMISSIONS: readonly Permission[] = [...WORKORDER_PERMISSIONS, ...CODE_PERMISSIONS];

export function isPermission(value: string): value is Permission {
  return (ALL_PERMISSIONS as readonly string[]).includes(value);
}

/** Parses a stored JSON permission list, dropping names this version does not know. */
export function parsePermissions(json: string): Permission[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.filter((p): p is Permission => typeof p === 'string' && isPermission(p)) : [];
}
