import type { Db } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import type { TemplateRow } from '../../db/tables/catalog.table.js';
import { requirePermission, tenancyScopeOf, type Principal } from '../auth/principal.js';

export class TemplateService {
  constructor(private readonly deps: { db: Db }) {}

  /** Brand owners see their templates, printing partners those naming them, platform staff all. */
  async list(principal: Principal, page: { limit: number; offset: number }): Promise<{ count: number; rows: Array<{ template: TemplateRow; substrateName: string }> }> {
    requirePermission(principal, 'workorder_view');
    const { count, rows } = await catalog.listTemplates(this.deps.db, tenancyScopeOf(principal), page);
    const substrateIds = [...new Set(rows.map((r) => r.substrate_id).filter((id): id is number => id !== null))];
    const substrates = await Promise.all(substrateIds.map((id) => catalog.findSubstrateById(this.deps.db, id)));
    const names = new Map(substrates.filter((s) => s !== undefined).map((s) => [s.id, s.name]));
    return { count, rows: rows.map((template) => ({ template, substrateName: template.substrate_id === null ? '' : names.get(template.substrate_id) ?? '' })) };
  }
}
