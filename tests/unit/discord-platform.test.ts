// The Discord platform's pure parts: whatever the app replies, a payload Discord accepts (by the fake's rules);
// commands Discord accepts; safe autocomplete; shard assignment.
import fc from 'fast-check';
import { ApplicationCommandOptionType, ComponentType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import { COHORT_COMMANDS } from '../../src/app/cohort/commands/index.js';
import type { Button, Reply } from '../../src/core/reply.js';
import { createClient } from '../../src/platforms/discord/client.js';
import { commandDefinitions, requiredParams } from '../../src/platforms/discord/commands.js';
import { suggest, suggestZones } from '../../src/platforms/discord/autocomplete.js';
import { modalFallback, renderMessage, renderModal, withinUploadLimit } from '../../src/platforms/discord/render.js';
import { commandProblems } from '../fakes/discord-guilds.js';
import { messageProblems } from '../fakes/discord-model.js';

const button: fc.Arbitrary<Button> = fc.record({
  action: fc.record({ kind: fc.constant('answer' as const), deliveryId: fc.integer({ min: 1, max: 1e12 }), question: fc.nat(9), choice: fc.nat(9) }),
  label: fc.string({ minLength: 1, maxLength: 200, size: 'max' }),
  style: fc.constantFrom('primary' as const, 'secondary' as const, 'success' as const, 'danger' as const),
});

const reply: fc.Arbitrary<Reply> = fc.record(
  {
    text: fc.string({ maxLength: 9000, size: 'max' }),
    title: fc.string({ minLength: 1, maxLength: 400, size: 'max' }),
    fields: fc.array(fc.record({ name: fc.string({ maxLength: 300, size: 'max' }), value: fc.string({ maxLength: 1500, size: 'max' }), inline: fc.boolean() }), { maxLength: 30, size: 'max' }),
    // Distinct actions per message: Discord refuses duplicate custom_ids, and the app never repeats one.
    actions: fc.array(fc.array(button, { minLength: 1, maxLength: 8 }), { maxLength: 7 }).map((rows) => {
      let n = 0;
      return rows.map((row) => row.map((b) => ({ ...b, action: { ...b.action, deliveryId: ++n } })));
    }),
    files: fc.array(fc.record({ name: fc.constantFrom('export.json', 'digest.csv'), content: fc.string() }), { maxLength: 6 }),
    images: fc.array(fc.record({ name: fc.constant('chart.png'), data: fc.uint8Array({ maxLength: 64 }), alt: fc.string({ maxLength: 2000 }) }), { maxLength: 8 }),
  },
  { requiredKeys: ['text'] },
);

describe('the Discord renderer', () => {
  it('always produces a message within Discord limits', () => {
    fc.assert(
      fc.property(reply, (r) => {
        const message = renderMessage(r);
        const attachments = message.files.map((f, id) => ({ id, filename: f.name, description: f.description }));
        expect(messageProblems({ content: message.content, embeds: message.embeds, components: message.components, attachments }, message.files.length)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a worst-case card within the 6000-character total, the text first', () => {
    const fields = Array.from({ length: 30 }, (_, i) => ({ name: `Field ${i} `.repeat(40), value: 'v'.repeat(1500) }));
    const message = renderMessage({ title: 't'.repeat(300), text: 'x'.repeat(9000), fields });
    expect(messageProblems({ embeds: message.embeds }, 0)).toEqual([]);
    expect(message.embeds[0]?.description).toHaveLength(4096);
  });

  it('wraps a row of more than 5 buttons and keeps every custom_id', () => {
    const row = Array.from({ length: 7 }, (_, i) => ({ action: { kind: 'quiz' as const, deliveryId: i + 1 }, label: `Choice ${i}` }));
    const message = renderMessage({ text: 'Pick', actions: [row] });
    expect(message.components.map((r) => r.components.length)).toEqual([5, 2]);
    expect(message.components.flatMap((r) => r.components.map((c) => c.custom_id))).toEqual(row.map((b) => `v1:quiz:${b.action.deliveryId}`));
  });

  it('puts short plain replies in content and cards in an embed', () => {
    expect(renderMessage({ text: 'Paused.' })).toMatchObject({ content: 'Paused.', embeds: [] });
    expect(renderMessage({ text: 'Body', title: 'Lesson 1' })).toMatchObject({ content: undefined, embeds: [{ title: 'Lesson 1', description: 'Body' }] });
    expect(renderMessage({ text: 'x'.repeat(2500) }).embeds[0]?.description).toHaveLength(2500);
  });

  it('attaches pictures (alt text as the description) before files, bytes unchanged', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const message = renderMessage({ text: 'Stats', images: [{ name: 'cohort-stats.png', data: png, alt: 'Bar charts. ' + 'x'.repeat(2000) }], files: [{ name: 'a.csv', content: 'a,b\r\n' }] });
    expect(message.files.map((f) => [f.name, f.data.toString('latin1'), f.description?.length])).toEqual([
      ['cohort-stats.png', Buffer.from(png).toString('latin1'), 1024],
      ['a.csv', 'a,b\r\n', undefined],
    ]);
    // Nothing but attachments is a valid message too.
    expect(renderMessage({ text: '', images: [{ name: 'c.png', data: png, alt: '' }] })).toMatchObject({ content: undefined, files: [{ name: 'c.png' }] });
  });

  it('leaves out a file too big for the upload limit and says so, keeping the rest', () => {
    const message = renderMessage({ text: 'Cohort export', files: [{ name: 'big.csv', content: 'x'.repeat(3 * 1024 * 1024) }, { name: 'small.csv', content: 'a\r\n' }] });
    const fitted = withinUploadLimit(message, 2 * 1024 * 1024);
    expect(fitted.files.map((f) => f.name)).toEqual(['small.csv']);
    expect(fitted.content).toBe("Cohort export\n\nbig.csv (3.0 MB) is too big to attach here: Discord's limit is 2.0 MB.");
    expect(withinUploadLimit(message, 10 * 1024 * 1024)).toBe(message);
    expect(withinUploadLimit(message, undefined)).toBe(message);
  });

  it('renders the practice modal within Discord limits, and a button to open it when a modal cannot be shown', () => {
    const modal = { form: { kind: 'practice' as const, deliveryId: 42 }, title: 'Log practice', fields: [{ name: 'note', label: 'x'.repeat(60), required: true, maxLength: 9000, multiline: true }] };
    const rendered = renderModal(modal);
    expect(rendered.custom_id).toBe('v1:form:practice:42');
    expect(rendered.components[0]).toMatchObject({ type: ComponentType.Label, component: { type: ComponentType.TextInput, custom_id: 'note', max_length: 4000 } });
    expect((rendered.components[0] as { label: string }).label.length).toBeLessThanOrEqual(45);
    const fallback = modalFallback({ text: 'What did you try?', modal }, 'v1:prac:42');
    expect(fallback.components[0]?.components[0]).toMatchObject({ custom_id: 'v1:prac:42', label: 'Log practice' });
    expect(fallback.content).toBe('What did you try?');
    const nothingToPress = modalFallback({ text: '', modal }, null);
    expect(nothingToPress).toMatchObject({ components: [], content: 'Open the form: Log practice\n(Run the command again to open the form.)' });
    expect(renderModal({ ...modal, fields: [{ name: 'note', label: 'Note', required: false, maxLength: 5, value: 'pre-filled' }] }).components[0]).toMatchObject({
      component: { value: 'pre-f', max_length: 5 },
    });
  });
});

describe('the Discord commands', () => {
  const templates = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `template-${i}`, title: `Template ${i} `.repeat(12) }));
  const postOption = (definitions: ReturnType<typeof commandDefinitions>) => {
    const group = definitions[1]!.options!.find((o) => o.name === 'challenge') as { options: { name: string; options: { name: string; choices?: { name: string; value: string }[]; autocomplete?: boolean }[] }[] };
    return group.options.find((o) => o.name === 'post')!.options[0]!;
  };

  it('are valid by Discord rules, with any number of challenge templates', () => {
    for (const n of [0, 1, 25, 26, 300]) expect(commandProblems(commandDefinitions({ challengeTemplates: templates(n) }))).toEqual([]);
    expect(commandProblems(commandDefinitions())).toEqual([]);
  });

  it('offer up to 25 templates as choices, and autocomplete them beyond that or when none were given', () => {
    const fixed = postOption(commandDefinitions({ challengeTemplates: templates(25) }));
    expect(fixed.choices).toHaveLength(25);
    expect(fixed.choices![0]).toEqual({ name: expect.stringMatching(/^Template 0 .{80,}…$/), value: 'template-0' });
    for (const n of [0, 26]) expect(postOption(commandDefinitions({ challengeTemplates: templates(n) }))).toMatchObject({ name: 'template', autocomplete: true });
    expect(suggest('challenge post', 'template', 'template-2', undefined, { templates: templates(30) }).map((c) => c.value)).toEqual(['template-2', 'template-20', 'template-21', 'template-22', 'template-23', 'template-24', 'template-25', 'template-26', 'template-27', 'template-28', 'template-29']);
    expect(suggest('challenge post', 'template', '', undefined, { templates: templates(30) })).toHaveLength(25);
    expect(suggest('challenge post', 'template', { evil: true }, undefined)).toEqual([]);
  });

  it('map every /cohort verb to a subcommand, two-word verbs to a group, and require what the usage requires', () => {
    const cohort = commandDefinitions()[1]!;
    const verbs = cohort.options!.flatMap((o) => (o.type === ApplicationCommandOptionType.SubcommandGroup ? (o.options ?? []).map((s) => `${o.name} ${s.name}`) : [o.name]));
    expect(verbs).toEqual(COHORT_COMMANDS.map((c) => c.verb));
    for (const command of COHORT_COMMANDS) expect(requiredParams(command)).toHaveLength(command.params.length);
    expect(requiredParams({ verb: 'challenge extend', usage: 'challenge extend <#challenge> <deadline>', params: ['challenge', 'deadline'] })).toEqual([true, true]);
    expect(() => requiredParams({ verb: 'x', usage: 'x <a>', params: ['a', 'b'] })).toThrow('names 1 argument(s) but it has 2 param(s)');
  });

  it('suggest at most 25 valid zones for anything typed', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (typed) => {
        const choices = suggestZones(typed);
        expect(choices.length).toBeLessThanOrEqual(25);
        for (const c of choices) expect(Intl.DateTimeFormat(undefined, { timeZone: c.value }).resolvedOptions().timeZone).toBeTruthy();
      }),
    );
    expect(suggest('settings', 'value', 12, { evil: true })).toEqual([]);
  });
});

describe('the Discord client', () => {
  const config = { token: 'token-for-tests', applicationId: '123456789012345678' };

  it('runs the shards Discord recommends when on its own', async () => {
    const client = createClient(config);
    expect(client.options.shards).toBe('auto');
    await client.destroy();
  });

  it('keeps the shards a ShardingManager assigned to this process', async () => {
    const env = { SHARDING_MANAGER: 'true', SHARDING_MANAGER_MODE: 'process', SHARDS: '[2,3]', SHARD_COUNT: '4' };
    Object.assign(process.env, env);
    try {
      const client = createClient(config);
      expect(client.options.shards).toEqual([2, 3]);
      expect(client.options.shardCount).toBe(4);
      await client.destroy();
    } finally {
      for (const key of Object.keys(env)) delete process.env[key];
    }
  });
});
