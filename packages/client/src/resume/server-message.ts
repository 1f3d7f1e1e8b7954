import { decodeJson, toCustomerSchema, toTechnicianSchema, type Result, type Role, type ToCustomer, type ToTechnician } from '@fernhilfe/protocol';

/** A message from the server to an endpoint of `role`, parsed against that role's schema. */
export function decodeServerMessage(role: Role, bytes: Uint8Array): Result<ToCustomer | ToTechnician> {
  return role === 'customer' ? decodeJson(toCustomerSchema, bytes) : decodeJson(toTechnicianSchema, bytes);
}
