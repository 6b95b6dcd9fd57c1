import type { Db } from '../../db/database.js';
import * as catalog from '../../db/repositories/catalog.repository.js';
import type { WorkorderRow } from '../../db/tables/workorders.table.js';
import { FieldErrorCollector } from '../../shared/app-error.js';
import type { Principal } from '../auth/principal.js';
import { loadRenderSettings } from '../codes/render-settings.js';
import type { ConfirmInput } from './workorder.types.js';

/**
 * Validates a printer confirmation: the equipment and substrate are the partner's own, the pair is
 * calibrated, and the order's codes can actually be rendered on that press — so a confirmed order
 * never fails later for a reason the partner could have been told now.
 */
export async function checkConfirmation(
  db: Db, principal: Principal, order: WorkorderRow, input: ConfirmInput,
): Promise<{ equipmentId: number; substrateId: number; externalId: string }> {
  const errors = new FieldErrorCollector();
  const equipmentId = input.equipment ?? null;
  const substrateId = input.substrate ?? order.substrate_id;
  const externalId = (input.external_id ?? '').trim();
  if (externalId.length > 255) errors.add('external_id', 'Ensure this field has no more than 255 characters.');
  if (equipmentId === null) errors.add('equipment', 'This field is required.');
  else {
    const equipment = await catalog.findEquipmentById(db, equipmentId);
    if (!equipment || equipment.company_id !== principal.companyId || equipment.is_archived === 1) {
      errors.add('equipment', `Invalid pk "${equipmentId}" - object does not exist.`);
    }
  }
  if (substrateId === null) errors.add('substrate', 'This field is required.');
  else if (order.substrate_id !== null && input.substrate != null && input.substrate !== order.substrate_id) {
    errors.add('substrate', `This work order asks for substrate ${order.substrate_id}.`);
  } else {
    const substrate = await catalog.findSubstrateById(db, substrateId);
    if (!substrate || substrate.company_id !== principal.companyId || substrate.is_archived === 1) {
      errors.add('substrate', `Invalid pk "${substrateId}" - object does not exist.`);
    } else if (equipmentId !== null && !errors.has('equipment') && !(await catalog.findCalibration(db, equipmentId, substrateId))) {
      errors.add('substrate', `Substrate ${substrateId} is not calibrated for equipment ${equipmentId}.`);
    }
  }
  errors.throwIfAny();
  try {
    await loadRenderSettings(db, { ...order, equipment_id: equipmentId, substrate_id: substrateId });
  } catch (error) {
    errors.add('equipment', `The codes of this order cannot be rendered on this equipment: ${(error as Error).message}`);
  }
  errors.throwIfAny();
  return { equipmentId: equipmentId as number, substrateId: substrateId as number, externalId };
}
