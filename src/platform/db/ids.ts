// Application-generated, time-ordered identifiers (UUID v7).
import { v7 } from 'uuid';

export function newId(): string {
  return v7();
}
