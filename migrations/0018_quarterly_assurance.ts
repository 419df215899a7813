// RASSO quarterly assurance reports: a report per police force or CPS Area
// and financial quarter, its versions (each with the figures frozen when it
// was drafted or refreshed, and its sign-off and publication), and the
// commentary of each version by section.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('assurance_reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('financial_year', 'integer', (c) => c.notNull())
    .addColumn('quarter', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    // One report per organisation and quarter: two people starting it at once make one.
    .addUniqueConstraint('assurance_reports_organisation_quarter', ['organisation_id', 'financial_year', 'quarter'])
    .execute();

  await db.schema
    .createTable('assurance_report_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('assurance_reports.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('figures', 'text', (c) => c.notNull())
    .addColumn('computed_at', 'text', (c) => c.notNull())
    .addColumn('drafted_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('drafted_at', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('refreshed_by', 'text', (c) => c.references('users.id'))
    .addColumn('signed_off_by', 'text', (c) => c.references('users.id'))
    .addColumn('signed_off_at', 'text')
    .addColumn('published_by', 'text', (c) => c.references('users.id'))
    .addColumn('published_at', 'text')
    .addColumn('superseded_at', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    // Reopening twice at once makes one next version.
    .addUniqueConstraint('assurance_report_versions_report_number', ['report_id', 'number'])
    .execute();

  await db.schema
    .createTable('assurance_commentary')
    .addColumn('version_id', 'text', (c) => c.notNull().references('assurance_report_versions.id'))
    .addColumn('section', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('assurance_commentary_pk', ['version_id', 'section'])
    .execute();
}
