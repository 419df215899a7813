// Access-matrix rows for a victim's communication. The part's page, the plan
// and the contacts are for the case's readers and the victim's own ISVA.
// Agreeing the plan is for the officer in the case, a police supervisor and
// the ISVA; logging a contact for anyone who works on the victim's records;
// recording who supports the victim for the OIC, a police supervisor and a
// DCP (the VLO too, when on the team) — the ISVA is told that form does not
// exist. Other readers are refused (403); strangers, other ISVAs and other
// cases get 404. Allowed users get as far as the command: without the case's
// version a page is a conflict (409) and the API asks for If-Match (428).
import type { MatrixRow, Persona } from '../support/access-matrix.ts';
import { caseReaders } from '../support/case-matrix.ts';
import { HOME_ISVA, prepareVictims, victimRoute } from '../support/victim-matrix.ts';

export const prepare = prepareVictims;

const planners: readonly Persona[] = ['investigator@police_force', 'police_supervisor@police_force', HOME_ISVA];
const contactLoggers: readonly Persona[] = [...caseReaders, HOME_ISVA];
const isvaRecorders: readonly Persona[] = ['investigator@police_force', 'police_supervisor@police_force', 'dcp@cps_area'];
const plan = { frequencyDays: 14, methods: ['phone'], updaters: ['oic'], preferredLanguage: 'en', noVoicemail: true, noPostToHome: true, agreedOn: '2025-01-10' };
const contact = { contactAt: '2025-01-10T10:00', method: 'phone', reached: true, summary: 'Update on the investigation.' };

export const rows: MatrixRow[] = [
  ...victimRoute('GET /cases/:caseId/victims/:victimId/communication', 200),
  ...victimRoute('GET /cases/:caseId/victims/:victimId/communication/plan', 200, {}, planners),
  ...victimRoute('POST /cases/:caseId/victims/:victimId/communication/plan', 409, {}, planners),
  ...victimRoute('GET /cases/:caseId/victims/:victimId/communication/contacts/new', 200, {}, contactLoggers),
  ...victimRoute('POST /cases/:caseId/victims/:victimId/communication/contacts/new', 409, {}, contactLoggers),
  ...victimRoute('GET /cases/:caseId/victims/:victimId/communication/isva', 200, {}, isvaRecorders),
  ...victimRoute('POST /cases/:caseId/victims/:victimId/communication/isva', 409, {}, isvaRecorders),
  ...victimRoute('GET /api/v1/cases/:caseId/victims/:victimId/communication', 200),
  ...victimRoute('PUT /api/v1/cases/:caseId/victims/:victimId/communication/plan', 428, { json: plan }, planners),
  ...victimRoute('GET /api/v1/cases/:caseId/victims/:victimId/communication/contacts', 200),
  ...victimRoute('POST /api/v1/cases/:caseId/victims/:victimId/communication/contacts', 428, { json: contact }, contactLoggers),
  ...victimRoute('POST /api/v1/cases/:caseId/victims/:victimId/communication/isva', 428, { json: { isvaUserId: null } }, isvaRecorders),
];
