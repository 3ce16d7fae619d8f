/** Route matching by API Gateway's precedence: literal > {param} > {proxy+}; method > ANY; $default last. */
import { describe, expect, it } from 'vitest';
import { createRouteTable, parseRouteKey } from '../../../src/emulator/apigw/routes.js';
import { UserError } from '../../../src/errors.js';

const routes = [
  'GET /pets/dog/1',
  'GET /pets/dog/{id}',
  'ANY /pets/dog/{id}',
  'ANY /pets/{proxy+}',
  'GET /pets/{proxy+}',
  'POST /items',
  'ANY /items/{id}/tags/{tag}',
  'ANY /{proxy+}',
  '$default',
];
const table = createRouteTable(routes.map((routeKey) => ({ routeKey, target: routeKey })));

describe('route matching', () => {
  it.each([
    ['GET', '/pets/dog/1', 'GET /pets/dog/1', {}],
    ['GET', '/pets/dog/2', 'GET /pets/dog/{id}', { id: '2' }],
    ['DELETE', '/pets/dog/2', 'ANY /pets/dog/{id}', { id: '2' }],
    ['GET', '/pets/cat/1', 'GET /pets/{proxy+}', { proxy: 'cat/1' }],
    ['PUT', '/pets/cat/1', 'ANY /pets/{proxy+}', { proxy: 'cat/1' }],
    ['GET', '/pets/dog/2/toys', 'GET /pets/{proxy+}', { proxy: 'dog/2/toys' }],
    ['POST', '/items', 'POST /items', {}],
    ['POST', '/items/', 'POST /items', {}],
    ['GET', '/items', 'ANY /{proxy+}', { proxy: 'items' }],
    ['PATCH', '/items/7/tags/red%20hot', 'ANY /items/{id}/tags/{tag}', { id: '7', tag: 'red hot' }],
    ['GET', '/', '$default', {}],
  ])('%s %s → %s', (method, path, routeKey, params) => {
    const match = table.match(method, path);
    expect(match?.routeKey).toBe(routeKey);
    expect(match?.target).toBe(routeKey);
    expect(match?.pathParameters).toEqual(params);
  });

  it('answers nothing when no route and no $default match', () => {
    const small = createRouteTable([
      { routeKey: 'GET /items/{id}', target: 1 },
      { routeKey: 'ANY /{proxy+}', target: 2 },
    ]);
    expect(small.match('GET', '/')).toBeUndefined(); // {proxy+} needs at least one segment
    expect(small.match('GET', '/items/')?.target).toBe(2); // an empty {id} is not a match
  });

  it('gives $default the request path as its resource', () => {
    expect(table.match('GET', '/')).toMatchObject({ routeKey: '$default', resource: '/' });
  });
});

describe('route keys', () => {
  it('normalises method case and trailing slashes', () => {
    expect(parseRouteKey('get /items/').key).toBe('GET /items');
    expect(parseRouteKey('ANY /').key).toBe('ANY /');
  });

  it.each(['/items', 'FETCH /items', 'GET /{proxy+}/more', 'GET /a{b}', 'GET items'])(
    'rejects %s',
    (key) => {
      expect(() => parseRouteKey(key)).toThrow(UserError);
    },
  );

  it('rejects a route defined twice', () => {
    expect(() =>
      createRouteTable([
        { routeKey: 'GET /a', target: 1 },
        { routeKey: 'get /a/', target: 2 },
      ]),
    ).toThrow(/defined twice/);
  });
});
