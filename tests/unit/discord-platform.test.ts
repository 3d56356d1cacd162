// The Discord platform's pure parts: whatever the app replies, a payload Discord accepts (by the fake's rules);
// commands Discord accepts; safe autocomplete; shard assignment.
import fc from 'fast-check';
import { ComponentType } from 'discord-api-types/v10';
import { describe, expect, it } from 'vitest';
import type { Button, Reply } from '../../src/core/reply.js';
import { createClient } from '../../src/platforms/discord/client.js';
import { commandDefinitions } from '../../src/platforms/discord/commands.js';
import { suggest, suggestZones } from '../../src/platforms/discord/autocomplete.js';
import { modalFallback, renderMessage, renderModal } from '../../src/platforms/discord/render.js';
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
    files: fc.array(fc.record({ name: fc.constantFrom('export.json', 'digest.csv'), content: fc.string() }), { maxLength: 2 }),
  },
  { requiredKeys: ['text'] },
);

describe('the Discord renderer', () => {
  it('always produces a message within Discord limits', () => {
    fc.assert(
      fc.property(reply, (r) => {
        const message = renderMessage(r);
        expect(messageProblems({ content: message.content, embeds: message.embeds, components: message.components }, message.files.length)).toEqual([]);
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
  it('are valid by Discord rules', () => {
    expect(commandProblems(commandDefinitions())).toEqual([]);
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
