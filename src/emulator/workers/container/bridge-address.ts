/**
 * Where the Runtime API must listen so a container worker can reach it, without listening on every
 * interface: the default bridge's gateway address (docker0, e.g. 172.17.0.1) exists only on this
 * host and is reachable only from containers, so binding there instead of 0.0.0.0 keeps the API
 * off the LAN. Docker Desktop has no docker0 on the host; there host.docker.internal is forwarded
 * to the host's loopback, so 127.0.0.1 is right.
 */
import type Docker from 'dockerode';
import { createServer } from 'node:net';
import { networkInterfaces } from 'node:os';

export interface RuntimeApiPlacement {
  /** Address the listener binds to. */
  bindHost: string;
  /** Address the runtime in the container dials (AWS_LAMBDA_RUNTIME_API's host part). */
  advertisedHost: string;
  /**
   * The engine shares this host's kernel (its bridge is one of our interfaces), so a Unix socket
   * of ours can be mounted into a container and connected to. Not so on Docker Desktop (a VM).
   */
  localSockets?: boolean;
}

/**
 * Is this address one of this host's? Tried by binding, because os.networkInterfaces() leaves out
 * interfaces that are down, and docker0 is down whenever no container is running.
 */
function canBind(address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(0, address, () => probe.close(() => resolve(true)));
  });
}

/** The gateway of a bridge network (default: Docker's own), from its IPAM config, host interface or subnet. */
export async function bridgeGateway(
  docker: Docker,
  networkName = 'bridge',
): Promise<string | undefined> {
  const network = (await docker.getNetwork(networkName).inspect()) as {
    IPAM?: { Config?: Array<{ Gateway?: string; Subnet?: string }> };
    Options?: Record<string, string>;
  };
  const config = network.IPAM?.Config?.[0];
  if (config?.Gateway) return config.Gateway;
  const interfaceName = network.Options?.['com.docker.network.bridge.name'];
  if (interfaceName) {
    const address = networkInterfaces()[interfaceName]?.find((a) => a.family === 'IPv4');
    if (address) return address.address;
  }
  // Engines (like 20.10 here) may list only the subnet: the gateway is its first host address.
  const subnet = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(config?.Subnet ?? '');
  return subnet ? `${subnet[1]}.${subnet[2]}.${subnet[3]}.${Number(subnet[4]) + 1}` : undefined;
}

/**
 * A network's gateway is the host's address on that network, so workers on a compose network (to
 * reach the database by name) reach the Runtime API at their own gateway.
 */
export async function runtimeApiPlacement(
  docker: Docker,
  networkName = 'bridge',
): Promise<RuntimeApiPlacement> {
  const gateway = await bridgeGateway(docker, networkName).catch(() => undefined);
  if (gateway && (await canBind(gateway)))
    return { bindHost: gateway, advertisedHost: gateway, localSockets: true };
  return { bindHost: '127.0.0.1', advertisedHost: 'host.docker.internal' };
}
