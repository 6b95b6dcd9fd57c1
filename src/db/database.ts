import type { Kysely, Transaction } from 'kysely';
import type { ApiTokensTable, CompaniesTable, UsersTable } from './tables/companies.table.js';
import type {
  BrandsTable, CalibrationsTable, CustomLayoutsTable, EquipmentTable, ProductsTable, SubstratesTable, TemplatesTable,
} from './tables/catalog.table.js';
import type { BlobUploadsTable, CodesTable, GenerationBatchesTable, WorkordersTable } from './tables/workorders.table.js';
import type { JobsTable, WorkerHeartbeatsTable } from './tables/jobs.table.js';
import type { ScansTable } from './tables/scans.table.js';
import type { CodeTransactionsTable } from './tables/code-transactions.table.js';
import type { DocumentsTable } from './tables/documents.table.js';
import type { ConsumerKeysTable } from './tables/consumer-keys.table.js';

export interface Database {
  companies: CompaniesTable;
  users: UsersTable;
  api_tokens: ApiTokensTable;
  brands: BrandsTable;
  products: ProductsTable;
  substrates: SubstratesTable;
  equipment: EquipmentTable;
  calibrations: CalibrationsTable;
  custom_layouts: CustomLayoutsTable;
  templates: TemplatesTable;
  workorders: WorkordersTable;
  codes: CodesTable;
  generation_batches: GenerationBatchesTable;
  blob_uploads: BlobUploadsTable;
  scans: ScansTable;
  code_transactions: CodeTransactionsTable;
  documents: DocumentsTable;
  consumer_keys: ConsumerKeysTable;
  jobs: JobsTable;
  worker_heartbeats: WorkerHeartbeatsTable;
}

export type Db = Kysely<Database>;
export type Trx = Transaction<Database>;
/** Anything queries can run on: the pool or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;

export const toSqlBool = (value: boolean): 0 | 1 => (value ? 1 : 0);
export const fromSqlBool = (value: number | boolean | null): boolean => value === 1 || value === true;
