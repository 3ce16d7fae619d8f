/**
 * Which function answers which route: the gateway's route table, built from the functions' routes
 * in lbuild.json, with the zero-config and REST API stand-ins for $default.
 */
import { UserError } from '../../errors.js';
import { createRouteTable, defaultRouteKey, type RouteTable } from './routes.js';
import type { ApiFlavour } from './v1-event.js';

export interface GatewayFunction {
  name: string;
  /** "GET /items/{id}", "ANY /{proxy+}", "$default". */
  routes: string[];
  payloadVersion: '1.0' | '2.0';
}

export interface Target {
  fn: GatewayFunction;
}

function routeEntries(
  functions: GatewayFunction[],
  flavour: ApiFlavour,
): Array<{ routeKey: string; target: Target }> {
  const routed = functions.filter((fn) => fn.routes.length > 0);
  // Only web functions (they have endpoints of their own): an API with no routes answers 404.
  if (functions.length === 0) return [];
  if (routed.length === 0) {
    // Zero-config: a single function with no routes takes every request, like an HTTP API with only $default.
    if (functions.length === 1) return expand({ fn: functions[0]! }, [defaultRouteKey], flavour);
    throw new UserError(
      `none of the ${functions.length} functions has routes, so the API gateway cannot reach any of them`,
      {
        hint: 'Add "routes": ["ANY /{proxy+}"] (or "$default") to the function that serves HTTP in lbuild.json.',
      },
    );
  }
  return routed.flatMap((fn) => expand({ fn }, fn.routes, flavour));
}

/** REST APIs have no $default route: stand in the equivalent root + greedy proxy resources. */
function expand(
  target: Target,
  routes: string[],
  flavour: ApiFlavour,
): Array<{ routeKey: string; target: Target }> {
  return routes.flatMap((routeKey) =>
    flavour === 'rest' && routeKey.trim() === defaultRouteKey
      ? [
          { routeKey: 'ANY /', target },
          { routeKey: 'ANY /{proxy+}', target },
        ]
      : [{ routeKey, target }],
  );
}

export function functionRouteTable(
  functions: GatewayFunction[],
  flavour: ApiFlavour,
): RouteTable<Target> {
  return createRouteTable(routeEntries(functions, flavour));
}
