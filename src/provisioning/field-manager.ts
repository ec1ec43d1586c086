/** Server-side apply's field manager for every write the gateway makes. */
export const FIELD_MANAGER = 'capi-gateway';
