// Pages of NFA scrutiny panels: a person's panels, a panel with its members,
// rounds and actions, the selection of a round's cases, the anonymised packs,
// each member's review and the chair's findings, the themes report (with its
// shareable, suppressed CSV), and the learning an officer or prosecutor
// receives. Forms post back to their own address, carry the version read and
// redirect with a flash.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { allow } from '../../platform/access/policy.ts';
import type { AuthService } from '../../platform/auth/service.ts';
import { translate } from '../../platform/i18n/messages.ts';
import type { Platform } from '../../platform/platform.ts';
import { formatDate, formatDateTime, londonDate } from '../../platform/time/working-days.ts';
import { errorMessage, formString, formStrings } from '../../platform/web/forms.ts';
import type { SummaryError } from '../../platform/web/forms.ts';
import { escapeHtml } from '../../platform/web/lists.ts';
import { submitForm } from '../../platform/web/submit.ts';
import { caseRoleName, caseRoleNameInText, flagName, isCaseRole, isStage, offenceName, stageName } from '../../cases/model.ts';
import type { DateParts } from '../../cases/model.ts';
import { dateItems, datePartsOf, formVersion } from '../../cases/web-support.ts';
import { registerScrutinyApi } from './api.ts';
import type { PackDecision, ScrutinyPack } from './anonymise.ts';
import {
  MAX_ACTION, MAX_TEXT, actionStatusName, actionStatuses, answerFields, decisionKindName, mythKinds, mythName, nfaDecisionKinds, soundAnswers, themeRows, yesNo,
} from './model.ts';
import type { Answers, AnswersInput, Shared } from './model.ts';
import { stratumParts } from './sample.ts';
import { createScrutinyService } from './service.ts';
import type { Action, Findings, Review, Round, ScrutinyService, ThemesView } from './service.ts';

export const scrutinyPaths = {
  home: '/scrutiny',
  newPanel: '/scrutiny/panels/new',
  panel: (panelId: string) => `/scrutiny/panels/${panelId}`,
  newMember: (panelId: string) => `/scrutiny/panels/${panelId}/members/new`,
  endMember: (panelId: string, memberId: string) => `/scrutiny/panels/${panelId}/members/${memberId}/end`,
  chairMember: (panelId: string, memberId: string) => `/scrutiny/panels/${panelId}/members/${memberId}/chair`,
  newRound: (panelId: string) => `/scrutiny/panels/${panelId}/rounds/new`,
  round: (panelId: string, roundId: string) => `/scrutiny/panels/${panelId}/rounds/${roundId}`,
  pack: (packId: string) => `/scrutiny/packs/${packId}`,
  review: (packId: string) => `/scrutiny/packs/${packId}/review`,
  findings: (packId: string) => `/scrutiny/packs/${packId}/findings`,
  newAction: (panelId: string) => `/scrutiny/panels/${panelId}/actions/new`,
  action: (panelId: string, actionId: string) => `/scrutiny/panels/${panelId}/actions/${actionId}`,
  actionStatus: (panelId: string, actionId: string) => `/scrutiny/panels/${panelId}/actions/${actionId}/status`,
  themes: (panelId: string, shared = false) => `/scrutiny/panels/${panelId}/themes${shared ? '?view=shared' : ''}`,
  themesCsv: (panelId: string) => `/scrutiny/panels/${panelId}/themes.csv`,
  learningList: '/scrutiny/learning',
  learning: (learningId: string) => `/scrutiny/learning/${learningId}`,
};

const PANEL = ':panelId';
const PACK = ':packId';

export function registerScrutiny(app: FastifyInstance, platform: Platform, auth: AuthService): void {
  const scrutiny = createScrutinyService(platform);
  registerPages(app, scrutiny, auth);
  registerScrutinyApi(app, scrutiny);
}

// Words for what a pack and a review hold.

const link = (href: string, text: string) => `<a class="govuk-link" href="${escapeHtml(href)}">${escapeHtml(text)}</a>`;
const row = (key: string, value: { text?: string; html?: string }) => ({ key: { text: key }, value });
const t = (key: string, params?: Record<string, string | number>) => translate(`scrutiny.${key}`, params);
const yes = (value: boolean) => t(value ? 'yes' : 'no');
const period = (from: string, to: string) => t('period', { from: formatDate(from), to: formatDate(to) });
const dayText = (day: number) => t('day', { day });
const multiline = (text: string) => escapeHtml(text).replace(/\n/g, '<br>');

export function outcomeText(decision: Pick<PackDecision, 'kind' | 'outcome'>): string {
  return decision.kind === 'police_nfa' ? t('outcome.police', { code: decision.outcome }) : t(`outcome.${decision.outcome === 'nfa_public_interest' ? 'publicInterest' : 'evidential'}`);
}

export function stratumText(key: string): string {
  const parts = stratumParts(key);
  const kind = parts.kind === 'police_nfa' || parts.kind === 'cps_nfa' ? decisionKindName(parts.kind) : parts.kind;
  const flags = [parts.domesticAbuse ? flagName('domesticAbuse') : null, parts.vulnerableVictim ? flagName('vulnerableVictim') : null].filter((f) => f !== null);
  return [kind, outcomeText({ kind: parts.kind === 'cps_nfa' ? 'cps_nfa' : 'police_nfa', outcome: parts.outcome }), flags.length ? flags.join(', ') : t('noFlags')].join('; ');
}

function eventText(event: ScrutinyPack['timeline'][number]): string {
  const { detail } = event;
  const detailText = (() => {
    if (detail === null) return '';
    switch (event.event) {
      case 'stage': return isStage(detail) ? stageName(detail) : '';
      case 'allocated': return isCaseRole(detail) ? caseRoleName(detail) : '';
      case 'personAdded': return translate(`cases.category.${detail}`);
      case 'nfaProposed': return t('outcome.police', { code: detail });
      case 'chargingDecision': return t(`decision.${detail}`);
      default: return t(`detail.${detail}`);
    }
  })();
  return t(`event.${event.event}`, { detail: detailText });
}

function caseRows(pack: ScrutinyPack) {
  const { victims } = pack;
  return [
    row(t('pack.offence'), { text: offenceName(pack.offenceClass) }),
    row(t('pack.flags'), { text: pack.flags.length ? pack.flags.map(flagName).join(', ') : t('noFlags') }),
    row(t('pack.victims'), { text: victims.ageBands.length ? t('pack.victimsAged', { count: victims.count, ages: victims.ageBands.map((b) => t(`age.${b}`)).join(', ') }) : String(victims.count) }),
    row(t('pack.suspects'), { text: String(pack.suspects) }),
    row(t('pack.witnesses'), { text: String(pack.witnesses) }),
    row(t('pack.daysToDecision'), { text: t('days', { days: pack.daysToDecision }) }),
    row(t('pack.jointMeeting'), { text: yes(pack.jointMeetingHeld) }),
  ];
}

function decisionRows(decision: PackDecision) {
  const told = decision.victimTold;
  return [
    row(t('decision.kind'), { text: decisionKindName(decision.kind) }),
    row(t('decision.outcome'), { text: outcomeText(decision) }),
    row(t('decision.day'), { text: dayText(decision.day) }),
    ...(decision.kind === 'cps_nfa' ? [row(t('decision.suspects'), { text: String(decision.suspects) })] : []),
    row(t(decision.kind === 'police_nfa' ? 'decision.rationale' : 'decision.reasons'), decision.rationale ? { html: multiline(decision.rationale) } : { text: t('decision.noRationale') }),
    ...(decision.kind === 'police_nfa' ? [
      row(t('decision.jointMeeting'), { text: t(`jointMeeting.${decision.jointMeeting}`) }),
      row(t('decision.victimContact'), { text: decision.victimContactMethod ? t(`detail.${decision.victimContactMethod}`) : t('decision.noContact') }),
    ] : []),
    row(t('decision.told'), { text: told ? (told.day === null ? yes(true) : t('decision.toldOn', { day: told.day })) : t('decision.notTold') }),
    row(t('decision.rightToReview'), { text: yes(told?.rightToReview === true) }),
    ...(decision.reopened ? [row(t('decision.reopened'), { text: yes(true) })] : []),
  ];
}

function communicationRows(pack: ScrutinyPack) {
  const c = pack.communication;
  return [
    row(t('communication.isva'), { text: yes(c.isvaSupport) }),
    row(t('communication.plan'), { text: c.planAgreed ? t('communication.planAgreed', { revisions: c.planRevisions, frequency: c.frequencyDays ?? '?' }) : t('no') }),
    row(t('communication.contacts'), { text: t('communication.contactsCount', { contacts: c.contacts, reached: c.reached }) }),
    row(t('communication.methods'), { text: c.methods.length ? c.methods.map((m) => `${t(`detail.${m.method}`)}: ${m.count}`).join(', ') : t('none') }),
    row(t('communication.letters'), { text: String(c.letters) }),
    row(t('communication.told'), { text: yes(c.toldOfDecision) }),
    row(t('communication.rightToReview'), { text: yes(c.rightToReviewInformation) }),
    row(t('communication.reviewRequested'), { text: yes(c.reviewRequested) }),
    row(t('communication.withdrawal'), { text: yes(c.withdrawalRecorded) }),
  ];
}

/** A review's or the findings' answers as summary rows. */
export function answerRows(answers: Answers) {
  const withText = (answer: string, text: string) => ({ html: `${escapeHtml(t(`answer.${answer}`))}${text ? `<br>${multiline(text)}` : ''}` });
  return [
    row(t('form.sound'), withText(answers.sound, answers.soundReasons)),
    row(t('form.missedEnquiries'), withText(answers.missedEnquiries, answers.missedEnquiriesDetail)),
    row(t('form.communication'), withText(answers.communication, answers.communicationReasons)),
    row(t('form.myths'), withText(answers.myths, [answers.mythKinds.map(mythName).join(', '), answers.mythsDetail].filter((s) => s).join('\n'))),
    ...(answers.observations ? [row(t('form.observations'), { html: multiline(answers.observations) })] : []),
  ];
}

function findingsRows(findings: Findings) {
  return [
    ...answerRows(findings),
    row(t('form.learning'), { html: multiline(findings.learning) }),
    row(t('findings.agreed'), { text: t('findings.agreedBy', { name: findings.agreedBy, at: formatDateTime(findings.agreedAt) }) }),
    row(t('findings.sentTo'), { text: findings.sentTo.length ? findings.sentTo.map((role) => caseRoleName(role)).join(', ') : t('findings.sentToNobody') }),
  ];
}

function roundSummary(round: Round) {
  return [
    row(t('round.period'), { text: period(round.from, round.to) }),
    row(t('round.kinds'), { text: round.kinds.map(decisionKindName).join(', ') }),
    row(t('round.method'), { text: t(`method.${round.method}`) }),
    ...(round.method === 'sample' ? [row(t('round.sampleSize'), { text: String(round.sampleSize) }), row(t('round.seed'), { html: `<code>${escapeHtml(round.seed ?? '')}</code>` })] : []),
    row(t('round.population'), { text: String(round.population) }),
    row(t('round.selected'), { text: String(round.selected) }),
    row(t('round.made'), { text: formatDateTime(round.createdAt) }),
  ];
}

function statusTag(action: Pick<Action, 'status' | 'overdue'>): string {
  const colour = action.status === 'done' ? 'green' : action.status === 'in_progress' ? 'yellow' : 'grey';
  return `<strong class="govuk-tag govuk-tag--${colour}">${escapeHtml(actionStatusName(action.status))}</strong>${action.overdue ? ` <strong class="govuk-tag govuk-tag--red">${escapeHtml(t('action.overdue'))}</strong>` : ''}`;
}

/** A count as the themes report shows it. */
const shown = (value: number | Shared | undefined) => (value === 'withheld' ? t('themes.withheld') : String(value ?? 0));

export function themesTable(view: ThemesView) {
  const head = [{ text: t('themes.finding') }, ...view.columns.map((c) => ({ text: c.round ? period(c.round.from, c.round.to) : t('themes.all'), format: 'numeric' }))];
  const rows = themeRows.map((key) => [{ text: t(`themes.row.${key}`) }, ...view.columns.map((c) => ({ text: shown(c.values[key]), format: 'numeric' }))]);
  return { head, rows };
}

/** The themes report as CSV (always the suppressed one: a download leaves the panel). */
export function themesCsv(view: ThemesView): string {
  const cell = (text: string) => (/[",\n]/.test(text) || /^[=+\-@]/.test(text) ? `"${text.replace(/^([=+\-@])/, "'$1").replace(/"/g, '""')}"` : text);
  const { head, rows } = themesTable(view);
  return [head.map((h) => cell(h.text)), ...rows.map((r) => r.map((c) => cell(c.text)))].map((line) => line.join(',')).join('\r\n') + '\r\n';
}

// The review form.

type Values = Record<string, string | string[] | DateParts | undefined>;
const str = (values: Values, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');

function answersFrom(body: unknown): AnswersInput {
  const text = (name: string) => formString(body, name, { maxLength: MAX_TEXT + 1 });
  return {
    sound: formString(body, 'sound', { maxLength: 20 }), soundReasons: text('soundReasons'),
    missedEnquiries: formString(body, 'missedEnquiries', { maxLength: 20 }), missedEnquiriesDetail: text('missedEnquiriesDetail'),
    communication: formString(body, 'communication', { maxLength: 20 }), communicationReasons: text('communicationReasons'),
    myths: formString(body, 'myths', { maxLength: 20 }), mythKinds: formStrings(body, 'mythKinds').slice(0, 50), mythsDetail: text('mythsDetail'),
    observations: text('observations'),
  };
}

const answerValues = (answers: Answers): Values => ({ ...answers, mythKinds: [...answers.mythKinds] });

function answerFormFields(values: Values, errors: SummaryError[], withLearning: boolean) {
  const radios = (name: string, answers: readonly string[]) => ({
    kind: 'radios',
    params: {
      idPrefix: name, name, classes: 'govuk-radios--inline',
      fieldset: { legend: { text: t(`form.${name}`), classes: 'govuk-fieldset__legend--s' } },
      items: answers.map((a) => ({ value: a, text: t(`answer.${a}`), checked: str(values, name) === a })),
      errorMessage: errorMessage(errors, name),
    },
  });
  const textarea = (name: string) => ({
    kind: 'textarea',
    params: { id: name, name, rows: 4, label: { text: t(`form.${name}`), classes: 'govuk-label--s' }, hint: { text: t(`form.${name}Hint`) }, value: str(values, name), errorMessage: errorMessage(errors, name) },
  });
  const chosen = Array.isArray(values.mythKinds) ? values.mythKinds : [];
  return [
    radios('sound', soundAnswers), textarea('soundReasons'),
    radios('missedEnquiries', yesNo), textarea('missedEnquiriesDetail'),
    radios('communication', soundAnswers), textarea('communicationReasons'),
    radios('myths', yesNo),
    {
      kind: 'checkboxes',
      params: {
        idPrefix: 'mythKinds', name: 'mythKinds', classes: 'govuk-checkboxes--small',
        fieldset: { legend: { text: t('form.mythKinds'), classes: 'govuk-fieldset__legend--s' } }, hint: { text: t('form.mythKindsHint') },
        items: mythKinds.kinds.map((kind) => ({ value: kind, text: mythName(kind), checked: chosen.includes(kind) })),
        errorMessage: errorMessage(errors, 'mythKinds'),
      },
    },
    textarea('mythsDetail'), textarea('observations'),
    ...(withLearning ? [textarea('learning')] : []),
  ];
}

function registerPages(app: FastifyInstance, scrutiny: ScrutinyService, auth: AuthService): void {
  const read = { config: { policy: allow.signedIn, audit: 'none' as const } };
  const readAudited = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const change = { config: { policy: allow.signedIn, audit: 'required' as const } };
  const manageForm = { config: { policy: allow.withPermission('scrutiny.manage'), audit: 'none' as const } };
  const manage = { config: { policy: allow.withPermission('scrutiny.manage'), audit: 'required' as const } };
  const params = (request: FastifyRequest) => request.params as { panelId: string; packId: string; roundId: string; memberId: string; actionId: string; learningId: string };

  const submit = (request: FastifyRequest, reply: FastifyReply, command: () => Promise<{ text: string; to: string }>, showAgain: (errors: SummaryError[], status: number) => Promise<FastifyReply>, conflictField: string) =>
    submitForm(auth, request, reply, { command, showAgain, conflictField, conflictMessage: t('error.conflict') });

  app.get(scrutinyPaths.home, read, async (request, reply) => {
    const overview = await scrutiny.overview(request.actor!);
    return reply.render('scrutiny/index.njk', {
      pageTitle: t('title'),
      head: [{ text: t('panels.panel') }, { text: t('panels.covers') }, { text: t('panels.role') }],
      rows: overview.panels.map((p) => [
        { html: link(scrutinyPaths.panel(p.id), p.name) },
        { text: p.cpsAreaName ? t('panels.pair', { force: p.forceName, area: p.cpsAreaName }) : p.forceName },
        { text: t(`panels.as.${p.role}`) },
      ]),
      createHref: overview.mayCreate ? scrutinyPaths.newPanel : null,
      learningHref: scrutinyPaths.learningList,
      learningText: t('learning.count', { count: overview.learning }),
    });
  });

  // Setting up a panel.
  const showPanelForm = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const choices = await scrutiny.panelChoices(request.actor!);
    const other = choices.side === 'force' ? 'cpsAreaId' : 'forceId';
    return reply.code(status).render('scrutiny/form.njk', {
      pageTitle: t('panel.new.title'), errors, submitText: t('panel.new.submit'), backHref: scrutinyPaths.home,
      lead: [t(`panel.new.lead.${choices.side}`, { name: choices.own.name })],
      fields: [
        { kind: 'input', params: { id: 'name', name: 'name', label: { text: t('panel.name'), classes: 'govuk-label--s' }, hint: { text: t('panel.nameHint') }, value: str(values, 'name'), errorMessage: errorMessage(errors, 'name') } },
        {
          kind: 'select',
          params: {
            id: other, name: other, label: { text: t(`panel.${other}`), classes: 'govuk-label--s' }, hint: { text: t(`panel.${other}Hint`) },
            items: [...(choices.side === 'force' ? [{ value: '', text: t('panel.forceAlone') }] : [{ value: '', text: t('panel.chooseForce') }]), ...choices.others.map((o) => ({ value: o.id, text: o.name, selected: str(values, other) === o.id }))],
            errorMessage: errorMessage(errors, other),
          },
        },
      ],
    });
  };
  app.get(scrutinyPaths.newPanel, manageForm, async (request, reply) => showPanelForm(request, reply));
  app.post(scrutinyPaths.newPanel, manage, async (request, reply) => {
    const body = request.body;
    const actor = request.actor!;
    const own = actor.organisation.organisationId;
    const values = { name: formString(body, 'name', { maxLength: 200 }), forceId: formString(body, 'forceId', { maxLength: 60 }), cpsAreaId: formString(body, 'cpsAreaId', { maxLength: 60 }) };
    const input = actor.organisation.organisationKind === 'police_force' ? { ...values, forceId: own } : { ...values, cpsAreaId: own };
    return submit(request, reply, async () => {
      const id = await scrutiny.createPanel(actor, request.auditContext, input);
      return { text: t('panel.new.flash'), to: scrutinyPaths.panel(id) };
    }, (errors, status) => showPanelForm(request, reply, errors, values, status), 'name');
  });

  app.get(scrutinyPaths.panel(PANEL), read, async (request, reply) => {
    const view = await scrutiny.panel(request.actor!, request.auditContext, params(request).panelId);
    const { panel, powers } = view;
    const active = view.members.filter((m) => m.endedAt === null);
    return reply.render('scrutiny/panel.njk', {
      pageTitle: panel.name, backHref: scrutinyPaths.home, version: panel.version, manage: powers.manage,
      summary: [
        row(t('panel.force'), { text: panel.forceName }),
        row(t('panel.area'), { text: panel.cpsAreaName ?? t('panel.forceAloneShort') }),
        row(t('panel.chair'), { text: active.find((m) => m.role === 'chair')?.name ?? t('panel.noChair') }),
      ],
      themesHref: scrutinyPaths.themes(panel.id),
      memberHead: [t('members.name'), t('members.organisation'), t('members.role'), ...(powers.manage ? [t('members.change')] : [])],
      members: active.map((m) => ({
        name: m.name, organisation: m.organisationName, external: m.external, chair: m.role === 'chair', role: t(`members.as.${m.role}`),
        endAction: scrutinyPaths.endMember(panel.id, m.id), chairAction: scrutinyPaths.chairMember(panel.id, m.id),
      })),
      addMemberHref: powers.manage ? scrutinyPaths.newMember(panel.id) : null,
      roundHead: [{ text: t('round.period') }, { text: t('round.method') }, { text: t('round.selected'), format: 'numeric' }],
      rounds: view.rounds.map((r) => [{ html: link(scrutinyPaths.round(panel.id, r.id), period(r.from, r.to)) }, { text: t(`method.${r.method}`) }, { text: String(r.selected), format: 'numeric' }]),
      selectHref: powers.manage ? scrutinyPaths.newRound(panel.id) : null,
      actionHead: [{ text: t('action.text') }, { text: t('action.owner') }, { text: t('action.due') }, { text: t('action.status') }],
      actions: view.actions.map((a) => [
        { html: link(scrutinyPaths.action(panel.id, a.id), a.text) + (a.packLabel ? `<br><span class="govuk-body-s">${escapeHtml(t('action.fromPack', { pack: a.packLabel }))}</span>` : '') },
        { text: a.owner }, { text: formatDate(a.dueOn) }, { html: statusTag(a) },
      ]),
      actionHref: powers.act ? scrutinyPaths.newAction(panel.id) : null,
    });
  });

  // Members.
  const showMemberForm = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { panel } = await scrutiny.check(request.actor!, request.auditContext, params(request).panelId, 'manage');
    return reply.code(status).render('scrutiny/form.njk', {
      pageTitle: t('member.new.title'), caption: panel.name, errors, submitText: t('member.new.submit'), backHref: scrutinyPaths.panel(panel.id), version: panel.version,
      lead: [t('member.new.lead')],
      fields: [
        { kind: 'input', params: { id: 'email', name: 'email', type: 'email', spellcheck: false, autocomplete: 'off', label: { text: t('member.email'), classes: 'govuk-label--s' }, value: str(values, 'email'), errorMessage: errorMessage(errors, 'email') } },
        {
          kind: 'radios',
          params: {
            idPrefix: 'role', name: 'role', fieldset: { legend: { text: t('member.role'), classes: 'govuk-fieldset__legend--s' } },
            items: (['member', 'chair'] as const).map((role) => ({ value: role, text: t(`members.as.${role}`), hint: role === 'chair' ? { text: t('member.chairHint') } : undefined, checked: (str(values, 'role') || 'member') === role })),
            errorMessage: errorMessage(errors, 'role'),
          },
        },
      ],
    });
  };
  app.get(scrutinyPaths.newMember(PANEL), manageForm, async (request, reply) => showMemberForm(request, reply));
  app.post(scrutinyPaths.newMember(PANEL), manage, async (request, reply) => {
    const body = request.body;
    const values = { email: formString(body, 'email', { maxLength: 300 }), role: formString(body, 'role', { maxLength: 20 }) };
    return submit(request, reply, async () => {
      await scrutiny.addMember(request.actor!, request.auditContext, params(request).panelId, values, formVersion(body));
      return { text: t('member.new.flash'), to: scrutinyPaths.panel(params(request).panelId) };
    }, (errors, status) => showMemberForm(request, reply, errors, status === 409 ? {} : values, status), 'email');
  });
  for (const change of ['end', 'chair'] as const) {
    app.post(change === 'end' ? scrutinyPaths.endMember(PANEL, ':memberId') : scrutinyPaths.chairMember(PANEL, ':memberId'), manage, async (request, reply) => {
      const { panelId, memberId } = params(request);
      await scrutiny.changeMember(request.actor!, request.auditContext, panelId, memberId, change, formVersion(request.body));
      await auth.setFlash(request.session!, { type: 'success', text: t(`members.flash.${change}`) });
      return reply.redirect(scrutinyPaths.panel(panelId), 303);
    });
  }

  // Selecting a round's cases.
  const showRoundForm = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { panel } = await scrutiny.check(request.actor!, request.auditContext, params(request).panelId, 'manage');
    const date = (name: string) => {
      const error = errors.find((e) => e.field.startsWith(`${name}-`));
      return { kind: 'date', params: { id: name, fieldset: { legend: { text: t(`round.${name}`), classes: 'govuk-fieldset__legend--s' } }, hint: { text: t('round.dateHint') }, items: dateItems(name, (values[name] ?? {}) as Partial<DateParts>, errors), errorMessage: error ? { text: error.text } : undefined } };
    };
    const kinds = Array.isArray(values.kinds) ? values.kinds : [...nfaDecisionKinds];
    return reply.code(status).render('scrutiny/form.njk', {
      pageTitle: t('round.new.title'), caption: panel.name, errors, submitText: t('round.new.submit'), backHref: scrutinyPaths.panel(panel.id), version: panel.version,
      lead: [t('round.new.lead'), t('round.new.sampleLead')],
      fields: [
        date('from'), date('to'),
        {
          kind: 'checkboxes',
          params: {
            idPrefix: 'kinds', name: 'kinds', fieldset: { legend: { text: t('round.kinds'), classes: 'govuk-fieldset__legend--s' } },
            items: nfaDecisionKinds.map((kind) => ({ value: kind, text: decisionKindName(kind), checked: kinds.includes(kind) })), errorMessage: errorMessage(errors, 'kinds'),
          },
        },
        {
          kind: 'radios',
          params: {
            idPrefix: 'method', name: 'method', fieldset: { legend: { text: t('round.method'), classes: 'govuk-fieldset__legend--s' } },
            items: (['all', 'sample'] as const).map((method) => ({ value: method, text: t(`method.${method}`), hint: { text: t(`method.${method}Hint`) }, checked: (str(values, 'method') || 'all') === method })),
            errorMessage: errorMessage(errors, 'method'),
          },
        },
        { kind: 'input', params: { id: 'sampleSize', name: 'sampleSize', inputmode: 'numeric', classes: 'govuk-input--width-4', label: { text: t('round.sampleSize'), classes: 'govuk-label--s' }, hint: { text: t('round.sampleSizeHint') }, value: str(values, 'sampleSize'), errorMessage: errorMessage(errors, 'sampleSize') } },
        { kind: 'input', params: { id: 'seed', name: 'seed', spellcheck: false, autocomplete: 'off', classes: 'govuk-input--width-20', label: { text: t('round.seed'), classes: 'govuk-label--s' }, hint: { text: t('round.seedHint') }, value: str(values, 'seed'), errorMessage: errorMessage(errors, 'seed') } },
      ],
    });
  };
  app.get(scrutinyPaths.newRound(PANEL), manageForm, async (request, reply) => showRoundForm(request, reply));
  app.post(scrutinyPaths.newRound(PANEL), manage, async (request, reply) => {
    const body = request.body;
    const values = {
      from: datePartsOf(body, 'from'), to: datePartsOf(body, 'to'), kinds: formStrings(body, 'kinds').slice(0, 10),
      method: formString(body, 'method', { maxLength: 20 }), sampleSize: formString(body, 'sampleSize', { maxLength: 10 }), seed: formString(body, 'seed', { maxLength: 100 }),
    };
    const panelId = params(request).panelId;
    return submit(request, reply, async () => {
      const roundId = await scrutiny.selectCases(request.actor!, request.auditContext, panelId, values, formVersion(body));
      return { text: t('round.new.flash'), to: scrutinyPaths.round(panelId, roundId) };
    }, (errors, status) => showRoundForm(request, reply, errors, status === 409 ? {} : values, status), 'from-day');
  });

  app.get(scrutinyPaths.round(PANEL, ':roundId'), readAudited, async (request, reply) => {
    const { panelId, roundId } = params(request);
    const { panel, round, packs, powers } = await scrutiny.round(request.actor!, request.auditContext, panelId, roundId);
    const strata = round.strata.map((s) => `<tr class="govuk-table__row"><td class="govuk-table__cell">${escapeHtml(stratumText(s.key))}</td><td class="govuk-table__cell govuk-table__cell--numeric">${s.population}</td><td class="govuk-table__cell govuk-table__cell--numeric">${s.selected}</td></tr>`).join('');
    return reply.render('scrutiny/round.njk', {
      pageTitle: t('round.title', { period: period(round.from, round.to) }), caption: panel.name, backHref: scrutinyPaths.panel(panel.id),
      summary: roundSummary(round),
      packHead: [{ text: t('round.pack') }, { text: t('pack.offence') }, { text: t('round.decision') }, ...(powers.member ? [{ text: t('round.yourReview') }] : []), { text: t('round.reviews'), format: 'numeric' }, { text: t('round.findings') }],
      packs: packs.map((p) => {
        const latest = p.pack.decisions.at(-1)!;
        return [
          { html: link(scrutinyPaths.pack(p.id), t('pack.title', { label: p.label })) },
          { text: offenceName(p.pack.offenceClass) },
          { text: `${decisionKindName(latest.kind)}: ${outcomeText(latest)}` },
          ...(powers.member ? [{ text: t(p.reviewedByMe ? 'round.reviewed' : 'round.notReviewed') }] : []),
          { text: String(p.reviews), format: 'numeric' },
          { html: p.agreed ? `<strong class="govuk-tag govuk-tag--green">${escapeHtml(t('round.agreed'))}</strong>` : `<strong class="govuk-tag govuk-tag--grey">${escapeHtml(t('round.notAgreed'))}</strong>` },
        ];
      }),
      strataHtml: `<table class="govuk-table"><caption class="govuk-table__caption govuk-visually-hidden">${escapeHtml(t('round.strata'))}</caption><thead class="govuk-table__head"><tr class="govuk-table__row"><th scope="col" class="govuk-table__header">${escapeHtml(t('round.stratum'))}</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">${escapeHtml(t('round.population'))}</th><th scope="col" class="govuk-table__header govuk-table__header--numeric">${escapeHtml(t('round.selected'))}</th></tr></thead><tbody class="govuk-table__body">${strata}</tbody></table>`,
    });
  });

  app.get(scrutinyPaths.pack(PACK), readAudited, async (request, reply) => {
    const view = await scrutiny.pack(request.actor!, request.auditContext, params(request).packId);
    const { pack, powers, findings } = view;
    const open = findings === null && !view.conflicted;
    const buttons = [
      ...(powers.member && open ? [{ text: t(view.mine ? 'review.change' : 'review.title'), href: scrutinyPaths.review(view.id) }] : []),
      ...(powers.chair && open ? [{ text: t('findings.title'), href: scrutinyPaths.findings(view.id) }] : []),
    ];
    const reviews = view.reviews ?? (view.mine ? [view.mine] : []);
    return reply.render('scrutiny/pack.njk', {
      pageTitle: t('pack.title', { label: view.label }), caption: `${view.panel.name}: ${period(view.round.from, view.round.to)}`, backHref: scrutinyPaths.round(view.panel.id, view.round.id),
      conflicted: view.conflicted && (powers.member || powers.chair), buttons,
      caseRows: caseRows(pack),
      decisions: pack.decisions.map((d, i) => ({ heading: pack.decisions.length > 1 ? t('pack.decisionN', { n: i + 1 }) : t('pack.decision'), rows: decisionRows(d) })),
      communicationRows: communicationRows(pack),
      stageHead: [{ text: t('pack.stage') }, { text: t('pack.dayColumn'), format: 'numeric' }],
      stages: pack.stages.map((s) => [{ text: stageName(s.stage) }, { text: String(s.day), format: 'numeric' }]),
      timelineHead: [{ text: t('pack.dayColumn'), format: 'numeric' }, { text: t('pack.what') }],
      timeline: pack.timeline.map((e) => [{ text: String(e.day), format: 'numeric' }, { text: eventText(e) }]),
      findings: findings ? findingsRows(findings) : null,
      reviews: reviews.map((r: Review) => ({ heading: r.memberUserId === request.actor!.userId ? t('review.yours') : t('review.of', { name: r.memberName }), rows: answerRows(r) })),
    });
  });

  // A member's review, and the chair's findings.
  const showAnswers = async (form: 'review' | 'findings', request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values | null = null, status = 200) => {
    const packId = params(request).packId;
    await scrutiny.checkReview(request.actor!, request.auditContext, packId, form === 'review' ? 'review' : 'agree');
    const view = await scrutiny.pack(request.actor!, request.auditContext, packId);
    const before = form === 'findings' && view.reviews?.length ? {
      heading: t('findings.membersSaid'),
      table: {
        caption: t('findings.membersSaid'), captionClasses: 'govuk-visually-hidden',
        head: [{ text: t('members.name') }, { text: t('form.soundShort') }, { text: t('form.missedShort') }, { text: t('form.communicationShort') }, { text: t('form.mythsShort') }],
        rows: view.reviews.map((r) => [{ text: r.memberName }, { text: t(`answer.${r.sound}`) }, { text: t(`answer.${r.missedEnquiries}`) }, { text: t(`answer.${r.communication}`) }, { text: r.mythKinds.map(mythName).join(', ') || t(`answer.${r.myths}`) }]),
      },
    } : null;
    const current = values ?? (form === 'review' && view.mine ? answerValues(view.mine) : {});
    return reply.code(status).render('scrutiny/form.njk', {
      pageTitle: t(`${form === 'review' ? 'review' : 'findings'}.title`), caption: t('pack.title', { label: view.label }), errors, backHref: scrutinyPaths.pack(view.id),
      submitText: t(`${form === 'review' ? 'review' : 'findings'}.submit`),
      version: form === 'review' ? view.mine?.version : view.version,
      lead: [t(`${form === 'review' ? 'review' : 'findings'}.lead`)],
      before,
      fields: answerFormFields(current, errors, form === 'findings'),
    });
  };
  for (const form of ['review', 'findings'] as const) {
    const path = form === 'review' ? scrutinyPaths.review(PACK) : scrutinyPaths.findings(PACK);
    app.get(path, readAudited, async (request, reply) => showAnswers(form, request, reply));
    app.post(path, change, async (request, reply) => {
      const body = request.body;
      const input = { ...answersFrom(body), learning: formString(body, 'learning', { maxLength: MAX_TEXT + 1 }) };
      const packId = params(request).packId;
      return submit(request, reply, async () => {
        if (form === 'review') await scrutiny.submitReview(request.actor!, request.auditContext, packId, input, formVersion(body));
        else await scrutiny.agreeFindings(request.actor!, request.auditContext, packId, input, formVersion(body));
        return { text: t(`${form === 'review' ? 'review' : 'findings'}.flash`), to: scrutinyPaths.pack(packId) };
      }, (errors, status) => showAnswers(form, request, reply, errors, status === 409 ? null : { ...input, mythKinds: [...input.mythKinds] }, status), answerFields[0]);
    });
  }

  // Actions.
  const showActionForm = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { panel } = await scrutiny.check(request.actor!, request.auditContext, params(request).panelId, 'act');
    const packs = await scrutiny.packChoices(panel.id);
    const error = errors.find((e) => e.field.startsWith('dueOn-'));
    return reply.code(status).render('scrutiny/form.njk', {
      pageTitle: t('action.new.title'), caption: panel.name, errors, submitText: t('action.new.submit'), backHref: scrutinyPaths.panel(panel.id),
      fields: [
        { kind: 'textarea', params: { id: 'text', name: 'text', rows: 3, label: { text: t('action.text'), classes: 'govuk-label--s' }, value: str(values, 'text'), errorMessage: errorMessage(errors, 'text') } },
        { kind: 'input', params: { id: 'owner', name: 'owner', label: { text: t('action.owner'), classes: 'govuk-label--s' }, hint: { text: t('action.ownerHint') }, value: str(values, 'owner'), errorMessage: errorMessage(errors, 'owner') } },
        { kind: 'date', params: { id: 'dueOn', fieldset: { legend: { text: t('action.due'), classes: 'govuk-fieldset__legend--s' } }, items: dateItems('dueOn', (values.dueOn ?? {}) as Partial<DateParts>, errors), errorMessage: error ? { text: error.text } : undefined } },
        {
          kind: 'select',
          params: {
            id: 'packId', name: 'packId', label: { text: t('action.pack'), classes: 'govuk-label--s' },
            items: [{ value: '', text: t('action.noPack') }, ...packs.map((p) => ({ value: p.id, text: `${t('pack.title', { label: p.label })} (${period(p.period.from, p.period.to)})`, selected: str(values, 'packId') === p.id }))],
            errorMessage: errorMessage(errors, 'packId'),
          },
        },
      ],
    });
  };
  app.get(scrutinyPaths.newAction(PANEL), read, async (request, reply) => showActionForm(request, reply));
  app.post(scrutinyPaths.newAction(PANEL), change, async (request, reply) => {
    const body = request.body;
    const values = { text: formString(body, 'text', { maxLength: MAX_ACTION + 1 }), owner: formString(body, 'owner', { maxLength: 300 }), dueOn: datePartsOf(body, 'dueOn'), packId: formString(body, 'packId', { maxLength: 60 }) };
    const panelId = params(request).panelId;
    return submit(request, reply, async () => {
      const id = await scrutiny.addAction(request.actor!, request.auditContext, panelId, values);
      return { text: t('action.new.flash'), to: scrutinyPaths.action(panelId, id) };
    }, (errors, status) => showActionForm(request, reply, errors, values, status), 'text');
  });

  app.get(scrutinyPaths.action(PANEL, ':actionId'), read, async (request, reply) => {
    const { panelId, actionId } = params(request);
    const { panel, action, history, powers } = await scrutiny.action(request.actor!, request.auditContext, panelId, actionId);
    return reply.render('scrutiny/summary.njk', {
      pageTitle: t('action.title'), caption: panel.name, backHref: scrutinyPaths.panel(panel.id), lead: [action.text],
      sections: [
        { rows: [row(t('action.owner'), { text: action.owner }), row(t('action.due'), { text: formatDate(action.dueOn) }), row(t('action.status'), { html: statusTag(action) }), ...(action.packLabel ? [row(t('action.pack'), { text: t('pack.title', { label: action.packLabel }) })] : [])] },
        {
          heading: t('action.history'),
          table: {
            caption: t('action.history'), captionClasses: 'govuk-visually-hidden', head: [{ text: t('action.when') }, { text: t('action.status') }, { text: t('action.note') }, { text: t('action.by') }],
            rows: history.map((h) => [{ text: formatDateTime(h.at) }, { text: h.from ? t('action.changed', { from: actionStatusName(h.from), to: actionStatusName(h.to) }) : actionStatusName(h.to) }, { text: h.note }, { text: h.by }]),
          },
        },
      ],
      button: powers.act ? { text: t('action.status.title'), href: scrutinyPaths.actionStatus(panel.id, action.id) } : null,
    });
  });
  const showStatusForm = async (request: FastifyRequest, reply: FastifyReply, errors: SummaryError[] = [], values: Values = {}, status = 200) => {
    const { panelId, actionId } = params(request);
    await scrutiny.check(request.actor!, request.auditContext, panelId, 'act');
    const { panel, action } = await scrutiny.action(request.actor!, request.auditContext, panelId, actionId);
    return reply.code(status).render('scrutiny/form.njk', {
      pageTitle: t('action.status.title'), caption: panel.name, errors, submitText: t('action.status.submit'), backHref: scrutinyPaths.action(panel.id, action.id), version: action.version,
      lead: [action.text],
      fields: [
        {
          kind: 'radios',
          params: {
            idPrefix: 'status', name: 'status', fieldset: { legend: { text: t('action.status.legend'), classes: 'govuk-fieldset__legend--s' } }, hint: { text: t('action.status.current', { status: actionStatusName(action.status) }) },
            items: actionStatuses.map((s) => ({ value: s, text: actionStatusName(s), checked: str(values, 'status') === s })), errorMessage: errorMessage(errors, 'status'),
          },
        },
        { kind: 'textarea', params: { id: 'note', name: 'note', rows: 3, label: { text: t('action.note'), classes: 'govuk-label--s' }, hint: { text: t('action.noteHint') }, value: str(values, 'note'), errorMessage: errorMessage(errors, 'note') } },
      ],
    });
  };
  app.get(scrutinyPaths.actionStatus(PANEL, ':actionId'), read, async (request, reply) => showStatusForm(request, reply));
  app.post(scrutinyPaths.actionStatus(PANEL, ':actionId'), change, async (request, reply) => {
    const body = request.body;
    const { panelId, actionId } = params(request);
    const values = { status: formString(body, 'status', { maxLength: 20 }), note: formString(body, 'note', { maxLength: MAX_ACTION + 1 }) };
    return submit(request, reply, async () => {
      await scrutiny.updateAction(request.actor!, request.auditContext, panelId, actionId, values, formVersion(body));
      return { text: t('action.status.flash'), to: scrutinyPaths.action(panelId, actionId) };
    }, (errors, status) => showStatusForm(request, reply, errors, status === 409 ? {} : values, status), 'status');
  });

  // The themes report: the panel's view, the view that may leave the panel, and its CSV.
  app.get(scrutinyPaths.themes(PANEL), read, async (request, reply) => {
    const shared = (request.query as Record<string, unknown>).view === 'shared';
    const view = await scrutiny.themes(request.actor!, request.auditContext, params(request).panelId, shared);
    const { head, rows } = themesTable(view);
    return reply.render('scrutiny/themes.njk', {
      pageTitle: t('themes.title'), caption: view.panel.name, backHref: scrutinyPaths.panel(view.panel.id), shared,
      lead: t(shared ? 'themes.sharedLead' : 'themes.panelLead'),
      views: [
        { text: t('themes.panelView'), href: scrutinyPaths.themes(view.panel.id), current: !shared },
        { text: t('themes.sharedView'), href: scrutinyPaths.themes(view.panel.id, true), current: shared },
      ],
      head, rows, csvHref: scrutinyPaths.themesCsv(view.panel.id),
    });
  });
  app.get(scrutinyPaths.themesCsv(PANEL), read, async (request, reply) => {
    const view = await scrutiny.themes(request.actor!, request.auditContext, params(request).panelId, true);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="scrutiny-themes-${londonDate(new Date())}.csv"`)
      .send(themesCsv(view));
  });

  // Learning, for the officer or prosecutor it was sent to.
  app.get(scrutinyPaths.learningList, read, async (request, reply) => {
    const list = await scrutiny.learningList(request.actor!);
    return reply.render('scrutiny/summary.njk', {
      pageTitle: t('learning.title'), backHref: scrutinyPaths.home, lead: [t('learning.lead')],
      sections: [list.length ? {
        table: {
          caption: t('learning.title'), captionClasses: 'govuk-visually-hidden', head: [{ text: t('learning.received') }, { text: t('learning.panel') }, { text: t('learning.as') }],
          rows: list.map((l) => [{ html: link(scrutinyPaths.learning(l.id), formatDateTime(l.sentAt)) }, { text: `${l.panelName} (${period(l.from, l.to)})` }, { text: isCaseRole(l.role) ? caseRoleName(l.role) : l.role }]),
        },
      } : { empty: t('learning.none') }],
    });
  });
  app.get(scrutinyPaths.learning(':learningId'), readAudited, async (request, reply) => {
    const learning = await scrutiny.learning(request.actor!, request.auditContext, params(request).learningId);
    return reply.render('scrutiny/summary.njk', {
      pageTitle: t('learning.pageTitle'), caption: learning.panelName, backHref: scrutinyPaths.learningList,
      lead: [t('learning.about', { reference: learning.policeReference ?? t('learning.noReference'), from: formatDate(learning.from), to: formatDate(learning.to), role: caseRoleNameInText(learning.role) })],
      sections: [
        { rows: [row(t('learning.case'), learning.policeReference ? { html: link(`/cases/${learning.caseId}`, learning.policeReference) } : { text: t('learning.noReference') })] },
        ...(learning.findings ? [
          { heading: t('learning.points'), rows: [row(t('form.learning'), { html: multiline(learning.findings.learning) })] },
          {
            heading: t('findings.heading'),
            rows: [...answerRows(learning.findings), row(t('findings.agreed'), { text: t('findings.agreedBy', { name: learning.findings.agreedBy, at: formatDateTime(learning.findings.agreedAt) }) })],
          },
        ] : []),
      ],
    });
  });
}
