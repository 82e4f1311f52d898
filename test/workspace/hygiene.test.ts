/**
 * Log hygiene and path tricks on the signed-in side: a whole editorial session leaves no
 * address, password, token, username or query string in the logs; and no spelling of a
 * workspace address gets past the gate without a session.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { dialects } from '../helpers/databases.js';
import { PASSWORD, seedStaff, signedIn, StaffClient, type StaffFixture } from '../helpers/staff.js';
import { upload } from '../helpers/uploads.js';

for (const dialect of dialects()) {
  describe(`signed-in side: logs and paths (${dialect})`, () => {
    let t: TestApp;
    let staff: StaffFixture;
    const logs: string[] = [];

    before(async () => {
      const stream = new PassThrough();
      stream.on('data', (chunk: Buffer) => logs.push(chunk.toString()));
      t = await buildTestApp(dialect, {
        library: 'empty',
        logStream: stream,
        env: { LOG_LEVEL: 'info' },
      });
      staff = await seedStaff(t.database.db);
    });
    after(() => t.close());

    it('logs no address, password, token, username or query string of an editorial session', async () => {
      const failed = new StaffClient(t.baseUrl);
      await failed.signIn(staff.user('a', 'editor'), 'wrong password 123');
      const editor = await signedIn(t.baseUrl, staff.user('a', 'editor'));
      const session = editor.cookies.get('lc_session')!;
      await editor.get(`/en/workspace/translations?lang=fa,ar&org=${staff.a.id}`);
      await editor.get(`/en/workspace/editions/${staff.a.draftEditionId}`);
      await editor.post(`/en/workspace/editions/${staff.a.draftEditionId}`, {
        title: 'Secret title',
        version: '1',
      });
      await upload(editor, staff.a.draftEditionId, {
        name: 'notes.txt',
        data: 'private notes of a trainer',
      });
      await editor.post('/en/logout', {});
      // The server's own listening address is not a client's.
      const text = logs.filter((l) => !l.includes('Server listening at')).join('');
      assert.match(
        text,
        /"route":"\/:lang\/workspace\/editions\/:id"/,
        'route templates are logged',
      );
      for (const leak of [
        '127.0.0.1',
        '::1',
        PASSWORD,
        'wrong password 123',
        session,
        editor.csrf,
        staff.user('a', 'editor'),
        'lang=fa',
        staff.a.draftEditionId,
        'Secret title',
        'notes.txt',
      ]) {
        assert.ok(!text.includes(leak), `the log contains ${leak}`);
      }
    });

    it('lets no spelling of a workspace address past the gate without a session', async () => {
      const paths = [
        '/en/workspace/../workspace/works',
        '/en/workspace/%2e%2e/workspace/works',
        '/en/./workspace/works',
        '//en/workspace/works',
        '/EN/workspace/works',
        '/en/WORKSPACE/works',
        '/en/workspace;x/works',
        '/en/workspace/works;x',
        '/en/workspace/works%00',
        '/en/workspace%2fworks',
        '/en/workspace/works/..%2f..%2fadmin',
      ];
      for (const path of paths) {
        const response = await fetch(`${t.baseUrl}${path}`, { redirect: 'manual' });
        await response.body?.cancel();
        assert.notEqual(response.status, 200, `${path} answered 200 without a session`);
        assert.ok(response.status < 500, `${path} -> ${response.status}`);
      }
    });

    it('refuses oversized and lying form bodies with a clear status, never a 500', async () => {
      const big = await fetch(`${t.baseUrl}/en/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `username=a&password=${'x'.repeat(100_000)}`,
      });
      assert.equal(big.status, 413);
      // A Content-Length that lies: the rest of the bytes are not a request.
      const { port, hostname } = new URL(t.baseUrl);
      const answer = await new Promise<string>((resolve, reject) => {
        const socket = net.connect(Number(port), hostname, () => {
          socket.write(
            'POST /en/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
              'Content-Length: 10\r\nConnection: close\r\n\r\nusername=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
          );
        });
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      const statuses = [...answer.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
      assert.ok(statuses.length >= 1);
      for (const status of statuses) assert.ok(status < 500, `answered ${status}`);
    });
  });
}
