import type { Updateable } from 'kysely';
import type { Executor } from '../database.js';
import type { DocumentRow, DocumentsTable, NewDocumentRow } from '../tables/documents.table.js';

export function insertDocument(db: Executor, row: NewDocumentRow): Promise<DocumentRow> {
  return db.insertInto('documents').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findDocument(db: Executor, key: string): Promise<DocumentRow | undefined> {
  return db.selectFrom('documents').selectAll().where('key', '=', key).executeTakeFirst();
}

export async function updateDocument(db: Executor, key: string, set: Updateable<DocumentsTable>): Promise<void> {
  await db.updateTable('documents').set(set).where('key', '=', key).execute();
}
