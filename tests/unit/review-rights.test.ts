// Who may review whose submission: another lead must review a lead's own; with nobody else, a flagged
// self-review that earns no points.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { summarizeCohort } from '../../src/core/cohort-stats.js';
import { anotherLeadKnown, leadActiveSince, reviewEarnsPoints, reviewStanding, type Actor, type LeadRoster } from '../../src/core/permissions.js';

const actor = (overrides: Partial<Actor> = {}): Actor => ({ learnerId: 1, externalId: 'ann', isAdmin: true, roleIds: [], ...overrides });
const roster = (overrides: Partial<LeadRoster> = {}): LeadRoster => ({ leadUserIds: [], leadRoleIds: [], recentLeadIds: [], ...overrides });

describe('reviewStanding', () => {
  it("lets a lead review anyone else's submission", () => {
    expect(reviewStanding(actor(), 'bo', roster())).toBe('peer');
    expect(reviewStanding(actor({ isAdmin: false }), 'bo', roster({ leadUserIds: ['ann'] }))).toBe('peer');
  });

  it('sends a lead\'s own submission to another lead when one is known', () => {
    // A listed lead, a lead role, or someone who posted or reviewed lately.
    expect(reviewStanding(actor(), 'ann', roster({ leadUserIds: ['bob'] }))).toBe('needs-another-lead');
    expect(reviewStanding(actor(), 'ann', roster({ leadRoleIds: ['R1'] }))).toBe('needs-another-lead');
    expect(reviewStanding(actor(), 'ann', roster({ recentLeadIds: ['ann', 'cy'] }))).toBe('needs-another-lead');
  });

  it('sends a listed lead\'s own to another lead always: someone who is not an admin was added, and admins always lead', () => {
    // The friend added as a lead: the admin who added them is invisible to the bot but always there.
    expect(reviewStanding(actor({ externalId: 'bob', isAdmin: false }), 'bob', roster({ leadUserIds: ['bob'] }))).toBe('needs-another-lead');
    expect(reviewStanding(actor({ externalId: 'bob', isAdmin: false, roleIds: ['R1'] }), 'bob', roster({ leadRoleIds: ['R1'] }))).toBe('needs-another-lead');
  });

  it('makes it a self-review when the admin is the only lead the bot knows of', () => {
    expect(reviewStanding(actor(), 'ann', roster())).toBe('self-review');
    // Listing oneself, or having posted challenges oneself, adds nobody else.
    expect(reviewStanding(actor(), 'ann', roster({ leadUserIds: ['ann'], recentLeadIds: ['ann'] }))).toBe('self-review');
  });

  it('awards points for peer reviews only', () => {
    expect(reviewEarnsPoints('peer')).toBe(true);
    expect(reviewEarnsPoints('self-review')).toBe(false);
    expect(reviewEarnsPoints('needs-another-lead')).toBe(false);
  });

  it('never lets anyone earn points on a review of their own submission, whatever the roster', () => {
    const id = fc.constantFrom('ann', 'bob', 'cy');
    fc.assert(
      fc.property(id, fc.boolean(), fc.array(id), fc.array(fc.constantFrom('R1', 'R2')), fc.array(id), (me, isAdmin, leadUserIds, leadRoleIds, recentLeadIds) => {
        const standing = reviewStanding(actor({ externalId: me, isAdmin }), me, roster({ leadUserIds, leadRoleIds, recentLeadIds }));
        expect(standing).not.toBe('peer');
        expect(reviewEarnsPoints(standing)).toBe(false);
        expect(standing === 'self-review').toBe(!anotherLeadKnown(actor({ externalId: me, isAdmin }), roster({ leadUserIds, leadRoleIds, recentLeadIds })));
      }),
    );
  });

  it('counts lead activity of the last 30 days', () => {
    expect(leadActiveSince(new Date('2026-05-31T12:00:00Z'))).toEqual(new Date('2026-05-01T12:00:00Z'));
  });
});

describe('self-reviews in the cohort stats', () => {
  it('lists them newest first, and none when there are none', () => {
    const base = { now: new Date('2026-05-10T12:00:00Z'), learners: [], questions: [], pendingReviews: 0 };
    expect(summarizeCohort(base).selfReviewed).toEqual([]);
    const older = { learnerName: 'ann', challengeId: 1, challengeTitle: 'Harden SSH', acceptedAt: new Date('2026-05-04T10:00:00Z') };
    const newer = { learnerName: 'ann', challengeId: 2, challengeTitle: 'Cache', acceptedAt: new Date('2026-05-06T10:00:00Z') };
    expect(summarizeCohort({ ...base, selfReviewed: [older, newer] }).selfReviewed).toEqual([newer, older]);
  });
});
