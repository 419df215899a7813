// Application-generated, time-ordered identifiers (UUID v7).
import { v7 } from 'uuid';

export function newId(): string {
  return v7();
}

const ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs made by the platform; anything else in an id field is refused before it reaches SQL. */
export function isId(value: string): boolean {
  return ID.test(value);
}
