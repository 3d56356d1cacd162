// Starts the embedded PostgreSQL on a data folder, writes a row, says "ready" and waits: a bot that a test
// can kill -9, leaving its server running without a parent.
import pino from 'pino';
import postgres from 'postgres';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';

const server = await startEmbeddedPostgres(process.argv[2]!, pino({ level: 'silent' }));
const sql = postgres(server.url, { max: 1, onnotice: () => {} });
await sql`create table if not exists kept (note text)`;
await sql`insert into kept values ('written before the kill')`;
await sql.end();
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
