import type { Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Booleans are stored as 0/1 integers in every dialect, so rows look the same everywhere. */
export type SqlBool = 0 | 1;

/** What passing a scan-count limit does: 'flag' the scan, or 'blacklist' the code (reason 10). */
export type MaxScanAction = 'flag' | 'blacklist';

export interface CompaniesTable {
  id: Generated<number>;
  uuid: string;
  name: string;
  slug: string;
  company_type: 'brand_owner' | 'printing_partner' | 'platform';
  country: string;
  city: string;
  address: string;
  website: string;
  has_secure_workflow: SqlBool;
  serial_number_format: string;
  is_validated: SqlBool;
  /** Next serial number to hand out; orders reserve contiguous ranges from it. */
  next_serial_number: Generated<number>;
  creation_date: string;
  /** Brand owners: where scans of codes whose product sets no `client_url` are redirected; null: Sigil's verdict page. */
  landing_url: string | null;
  /** Brand owners: default scan-count limit of their codes (a product's own setting comes first). */
  max_scan_count: number | null;
  max_scan_action: MaxScanAction | null;
}

export interface UsersTable {
  id: Generated<number>;
  company_id: number;
  username: string;
  email: string;
  first_name: string;
  last_name: string;
  /** scrypt hash (see domain/auth/password.ts); null = this user cannot log in with a password. */
  password_hash: string | null;
  /** JSON array of permission names. */
  permissions: string;
  is_active: SqlBool;
  creation_date: string;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  /** SHA-256 (hex) of the token key; the key itself is never stored. */
  key_hash: string;
  /** First characters of the key, to tell tokens apart in listings. */
  key_prefix: string;
  /** JSON array of permission names granted to this token. */
  permissions: string;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
  creation_date: string;
}

export type CompanyRow = Selectable<CompaniesTable>;
export type NewCompanyRow = Insertable<CompaniesTable>;
export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type NewApiTokenRow = Insertable<ApiTokensTable>;
export type ApiTokenUpdate = Updateable<ApiTokensTable>;
