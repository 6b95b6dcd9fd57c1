import { AppError } from '../../shared/app-error.js';
import type { Permission } from './permissions.js';

export type CompanyType = 'brand_owner' | 'printing_partner' | 'platform';

/** Who is calling: a user of a company, with the permissions of the credential used. */
export interface Principal {
  readonly userId: number;
  readonly username: string;
  readonly companyId: number;
  readonly companyType: CompanyType;
  readonly permissions: ReadonlySet<Permission>;
  readonly via: 'uat' | 'jwt';
}

/** Which rows a caller's company may see: its own (brand owner), those assigned to it (partner), or all (platform). */
export interface TenancyScope {
  companyId?: number;
  printingPartnerId?: number;
}

export function tenancyScopeOf(principal: Principal): TenancyScope {
  switch (principal.companyType) {
    case 'brand_owner':
      return { companyId: principal.companyId };
    case 'printing_partner':
      return { printingPartnerId: principal.companyId };
    case 'platform':
      return {};
  }
}

export function requirePermission(principal: Principal, permission: Permission): void {
  if (!principal.permissions.has(permission)) {
    throw AppError.forbidden(`Your credentials lack the "${permission}" permission.`);
  }
}

export function requireAnyPermission(principal: Principal, permissions: readonly Permission[]): void {
  if (!permissions.some((p) => principal.permissions.has(p))) {
    throw AppError.forbidden(`Your credentials lack one of the permissions ${permissions.map((p) => `"${p}"`).join(', ')}.`);
  }
}
