/** The `--store` option every `runner` command takes. */
export interface StoreOptions {
  store?: string;
}
