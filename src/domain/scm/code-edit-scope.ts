import type { CodeEditScope } from '../../db/repositories/scm.repository.js';
import type { CompanyType } from '../auth/principal.js';

/**
 * Whose codes a company may activate and blacklist: a brand owner its own; a printing partner those of
 * orders assigned to it that grant it `activate_codes`; platform staff any. `brandOwner` narrows it to
 * one brand owner's codes (a task works on one brand owner's codes).
 */
export function codeEditScopeOf(actor: { companyId: number; companyType: CompanyType }, brandOwner?: number): CodeEditScope {
  switch (actor.companyType) {
    case 'brand_owner':
      return { companyId: actor.companyId };
    case 'printing_partner':
      return { partnerId: actor.companyId, ...(brandOwner === undefined ? {} : { companyId: brandOwner }) };
    case 'platform':
      return brandOwner === undefined ? {} : { companyId: brandOwner };
  }
}
