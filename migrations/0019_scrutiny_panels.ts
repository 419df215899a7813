// NFA scrutiny panels: panels of a force (and CPS Area) and their members,
// review rounds (the cases selected for a period and how), the selected cases
// with their pseudonyms and anonymised packs, members' reviews, the panel's
// agreed findings, the learning sent to officers and prosecutors, and the
// actions arising with their history.
import type { CreateTableBuilder, Kysely } from 'kysely';

/** The answer columns a member's review and the panel's findings share. */
function answers(table: CreateTableBuilder<string, any>): CreateTableBuilder<string, any> {
  return table
    .addColumn('sound', 'text', (c) => c.notNull())
    .addColumn('sound_reasons', 'text', (c) => c.notNull())
    .addColumn('missed_enquiries', 'text', (c) => c.notNull())
    .addColumn('missed_enquiries_detail', 'text', (c) => c.notNull())
    .addColumn('communication', 'text', (c) => c.notNull())
    .addColumn('communication_reasons', 'text', (c) => c.notNull())
    .addColumn('myths', 'text', (c) => c.notNull())
    .addColumn('myth_kinds', 'text', (c) => c.notNull())
    .addColumn('myth_kinds_version', 'integer', (c) => c.notNull())
    .addColumn('myths_detail', 'text', (c) => c.notNull())
    .addColumn('observations', 'text', (c) => c.notNull());
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('scrutiny_panels')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('force_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('cps_area_id', 'text', (c) => c.references('organisations.id'))
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scrutiny_panels_force').on('scrutiny_panels').columns(['force_id', 'cps_area_id']).execute();
  await db.schema.createIndex('scrutiny_panels_area').on('scrutiny_panels').column('cps_area_id').execute();

  await db.schema
    .createTable('scrutiny_panel_members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('panel_id', 'text', (c) => c.notNull().references('scrutiny_panels.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('organisation_id', 'text', (c) => c.notNull().references('organisations.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('added_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('added_at', 'text', (c) => c.notNull())
    .addColumn('ended_by', 'text', (c) => c.references('users.id'))
    .addColumn('ended_at', 'text')
    .execute();
  await db.schema.createIndex('scrutiny_panel_members_panel').on('scrutiny_panel_members').columns(['panel_id', 'ended_at']).execute();
  // A person's own panels, on every page they open.
  await db.schema.createIndex('scrutiny_panel_members_user').on('scrutiny_panel_members').columns(['user_id', 'ended_at', 'panel_id']).execute();

  await db.schema
    .createTable('scrutiny_rounds')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('panel_id', 'text', (c) => c.notNull().references('scrutiny_panels.id'))
    .addColumn('period_from', 'text', (c) => c.notNull())
    .addColumn('period_to', 'text', (c) => c.notNull())
    .addColumn('decision_kinds', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('sample_size', 'integer')
    .addColumn('seed', 'text')
    .addColumn('population', 'integer', (c) => c.notNull())
    .addColumn('selected', 'integer', (c) => c.notNull())
    .addColumn('strata', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scrutiny_rounds_panel').on('scrutiny_rounds').columns(['panel_id', 'period_from']).execute();

  await db.schema
    .createTable('scrutiny_cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('round_id', 'text', (c) => c.notNull().references('scrutiny_rounds.id'))
    .addColumn('panel_id', 'text', (c) => c.notNull().references('scrutiny_panels.id'))
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('pseudonym', 'integer', (c) => c.notNull())
    .addColumn('stratum', 'text', (c) => c.notNull())
    .addColumn('pack', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('scrutiny_cases_round_pseudonym', ['round_id', 'pseudonym'])
    .addUniqueConstraint('scrutiny_cases_round_case', ['round_id', 'case_id'])
    .execute();
  await db.schema.createIndex('scrutiny_cases_case').on('scrutiny_cases').column('case_id').execute();

  await answers(db.schema
    .createTable('scrutiny_reviews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scrutiny_case_id', 'text', (c) => c.notNull().references('scrutiny_cases.id'))
    .addColumn('member_user_id', 'text', (c) => c.notNull().references('users.id')))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addUniqueConstraint('scrutiny_reviews_case_member', ['scrutiny_case_id', 'member_user_id'])
    .execute();

  await answers(db.schema
    .createTable('scrutiny_findings')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scrutiny_case_id', 'text', (c) => c.notNull().unique().references('scrutiny_cases.id')))
    .addColumn('learning', 'text', (c) => c.notNull())
    .addColumn('agreed_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('agreed_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('scrutiny_learning')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('scrutiny_case_id', 'text', (c) => c.notNull().references('scrutiny_cases.id'))
    .addColumn('finding_id', 'text', (c) => c.notNull().references('scrutiny_findings.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('case_role', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scrutiny_learning_user').on('scrutiny_learning').columns(['user_id', 'sent_at']).execute();
  await db.schema.createIndex('scrutiny_learning_case').on('scrutiny_learning').column('scrutiny_case_id').execute();

  await db.schema
    .createTable('scrutiny_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('panel_id', 'text', (c) => c.notNull().references('scrutiny_panels.id'))
    .addColumn('round_id', 'text', (c) => c.references('scrutiny_rounds.id'))
    .addColumn('scrutiny_case_id', 'text', (c) => c.references('scrutiny_cases.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scrutiny_actions_panel').on('scrutiny_actions').columns(['panel_id', 'status', 'due_on']).execute();

  await db.schema
    .createTable('scrutiny_action_updates')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('action_id', 'text', (c) => c.notNull().references('scrutiny_actions.id'))
    .addColumn('status_from', 'text')
    .addColumn('status_to', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('by_user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scrutiny_action_updates_action').on('scrutiny_action_updates').columns(['action_id', 'at']).execute();
}
