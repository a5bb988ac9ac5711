/** Where a Node built-in import was found in a browser bundle. */
export interface NodeImport {
  readonly specifier: string;
  readonly importer: string;
}
export declare const workspaceRoot: string;
export declare const BROWSER_PACKAGES: readonly string[];
export declare function isNodeBuiltin(specifier: string): boolean;
export declare function bundleForBrowser(
  code: string,
  options?: { source?: boolean; minify?: boolean; external?: string[]; resolveDir?: string },
): Promise<{ js: Uint8Array; nodeImports: NodeImport[]; metafile: unknown }>;
