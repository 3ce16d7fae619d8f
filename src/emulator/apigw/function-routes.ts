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
  /** The routes (as written in `routes`) whose REST integration has response transfer mode STREAM. */
  streamRoutes?: string[];
  /** Set while a debugger may hold the function at a breakpoint: no integration timeout then. */
  debug?: object;
}

export interface Target {
  fn: GatewayFunction;
  /** REST API response transfer mode STREAM: the function's stream is passed on as it comes. */
  stream?: boolean;
}

function routeEntries(
  functions: GatewayFunction[],
  flavour: ApiFlavour,
): Array<{ routeKey: string; target: Target }> {
  const routed = functions.filter((fn) => fn.routes.length > 0);
  // No function at all (each is reached through its function URL or is a web function): no routes.
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
  return routed.flatMap((fn) =>
    fn.routes.flatMap((routeKey) => {
      const stream = fn.streamRoutes?.includes(routeKey) ?? false;
      if (stream && flavour !== 'rest')
        throw new UserError(
          `function ${fn.name}: route "${routeKey}" asks for response transfer mode STREAM, which only REST APIs have (HTTP APIs buffer every response)`,
          {
            hint: 'Serve the API as a REST API ("api": {"type": "rest"}), or drop "responseTransferMode" from the route.',
          },
        );
      return expand(stream ? { fn, stream } : { fn }, [routeKey], flavour);
    }),
  );
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
