import dbus from 'dbus-next';
import type { PlatformEnv } from '../types.js';

export type Bus = dbus.MessageBus;
export type DBusInterface = dbus.ClientInterface;
export const { Variant } = dbus;

/** The customer's session bus (DBUS_SESSION_BUS_ADDRESS of `env`), a connection of our own. */
export function sessionBus(env: PlatformEnv): Bus {
  const address = env.DBUS_SESSION_BUS_ADDRESS;
  return dbus.sessionBus(address ? { busAddress: address } : {});
}

/** One interface of a remote object. */
export async function proxy(bus: Bus, service: string, path: string, name: string): Promise<DBusInterface> {
  return (await bus.getProxyObject(service, path)).getInterface(name);
}

/** A method call on a proxy (dbus-next types methods as `any`): the reply typed as the caller expects. */
export function call<T = void>(iface: DBusInterface, method: string, ...args: unknown[]): Promise<T> {
  const fn = (iface as unknown as Record<string, (...a: unknown[]) => Promise<T>>)[method];
  return fn!.apply(iface, args);
}

/** A property of a remote object, unwrapped from its Variant. */
export async function property<T>(bus: Bus, service: string, path: string, name: string, prop: string): Promise<T> {
  const props = await proxy(bus, service, path, 'org.freedesktop.DBus.Properties');
  return (await call<dbus.Variant<T>>(props, 'Get', name, prop)).value;
}
