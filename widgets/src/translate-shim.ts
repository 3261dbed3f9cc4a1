/** English lookup of catalogue messages with `{name}` values filled in. */
import { MESSAGES, type MessageKey } from './messages.js';

export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;

export const translate: Translate = (key, params) =>
  MESSAGES[key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    params && name in params ? String(params[name]) : whole,
  );
