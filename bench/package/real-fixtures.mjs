// bench/package's real-sized fixtures, made at bench time under bench/.work (never committed):
// - node-app: an Express app with three native modules (bcrypt, better-sqlite3, sharp) and AWS
//   Powertools (logger, tracer, metrics) from the npm registry; about 80 MB once installed.
// - django-app: Django + psycopg2 and their dependencies from the local Debian wheel folder
//   (scripts/debian-wheels.mjs), through a pip.conf as scripts/dev.sh sets the examples up.
// Each is made once; later runs reuse the folder (delete bench/.work to start over).
import { execa } from 'execa';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDebianWheels } from '../../scripts/debian-wheels.mjs';

const work = fileURLToPath(new URL('../.work/', import.meta.url));

const nodeDependencies = {
  '@aws-lambda-powertools/logger': '^2',
  '@aws-lambda-powertools/metrics': '^2',
  '@aws-lambda-powertools/tracer': '^2',
  bcrypt: '^6',
  'better-sqlite3': '^12',
  express: '^5',
  'serverless-http': '^3',
  sharp: '^0.34',
};

const nodeHandler = `const serverless = require('serverless-http');
const express = require('express');
const bcrypt = require('bcrypt');
const Database = require('better-sqlite3');
const sharp = require('sharp');
const { Logger } = require('@aws-lambda-powertools/logger');
const { Metrics } = require('@aws-lambda-powertools/metrics');
const { Tracer } = require('@aws-lambda-powertools/tracer');

const logger = new Logger({ serviceName: 'bench' });
const metrics = new Metrics({ namespace: 'bench', serviceName: 'bench' });
const tracer = new Tracer({ serviceName: 'bench' });
const db = new Database(':memory:');
const app = express();
app.get('/hash', async (req, res) => res.json({ hash: await bcrypt.hash('x', 4) }));
app.get('/db', (req, res) => res.json(db.prepare('select 1 as one').get()));
app.get('/img', async (req, res) => {
  const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#fff' } }).png().toBuffer();
  logger.info('image', { bytes: png.length });
  metrics.addMetric('images', 'Count', 1);
  res.type('png').send(png);
});
module.exports = { app, tracer };
module.exports.handler = serverless(app);
`;

/** The Express app; its package-lock.json comes from the npm registry (no install on the host). */
export async function nodeAppFixture() {
  const dir = join(work, 'node-app');
  if (existsSync(join(dir, 'package-lock.json'))) return dir;
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify(
      {
        name: 'bench-node-app',
        version: '1.0.0',
        private: true,
        dependencies: nodeDependencies,
        // npm 12 runs only the install scripts named here; these three build or fetch binaries.
        allowScripts: { bcrypt: true, 'better-sqlite3': true, sharp: true },
      },
      null,
      2,
    )}\n`,
  );
  writeFileSync(join(dir, 'index.js'), nodeHandler);
  writeFileSync(
    join(dir, 'lbuild.json'),
    `${JSON.stringify({ name: 'bench-node-app', runtime: 'nodejs22.x', functions: { api: { handler: 'index.handler' } } }, null, 2)}\n`,
  );
  await execa(
    'npm',
    ['install', '--package-lock-only', '--ignore-scripts', '--no-audit', '--no-fund'],
    { cwd: dir },
  );
  return dir;
}

const djangoHandler = `import os
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'settings')
import django
from django.conf import settings
import psycopg2

def handler(event, context):
    django.setup()
    return {'statusCode': 200, 'body': f'{django.get_version()} {psycopg2.__version__} {settings.DEBUG}'}
`;

/** Django + psycopg2 from the Debian wheel folder; returns the folder and the wheels it reads. */
export async function djangoAppFixture() {
  const { folder } = await ensureDebianWheels('bookworm');
  const dir = join(work, 'django-app');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'requirements.txt'), 'Django\npsycopg2\n');
  writeFileSync(join(dir, 'app.py'), djangoHandler);
  writeFileSync(
    join(dir, 'settings.py'),
    'DEBUG = False\nSECRET_KEY = "bench"\nINSTALLED_APPS = []\n',
  );
  writeFileSync(join(dir, 'pip.conf'), `[global]\nno-index = true\nfind-links = ${folder}\n`);
  writeFileSync(
    join(dir, 'lbuild.json'),
    `${JSON.stringify({ name: 'bench-django-app', runtime: 'python3.11', functions: { api: { handler: 'app.handler' } } }, null, 2)}\n`,
  );
  return { dir, wheels: folder };
}
