/** Who seals one print or export: the chair's passphrase, or two trustees' (name, passphrase) together. */
export type Seal = { passphrase: string | null; trustees: [[string, string], [string, string]] | null };
