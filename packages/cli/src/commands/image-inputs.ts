import { readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.bmp', '.gif', '.avif']);

export const isImageFile = (path: string): boolean => IMAGE_EXTENSIONS.has(extname(path).toLowerCase());
export const isPdfFile = (path: string): boolean => extname(path).toLowerCase() === '.pdf';

/**
 * The images named on the command line: files as given, a directory's image files (and PDFs with `pdf`) (sorted, not recursive), a glob's
 * matches (sorted; quoted so the shell left it alone). A name that is none of these stays, so that its error is
 * reported with the other results.
 */
export function expandImageInputs(args: readonly string[], options: { pdf?: boolean } = {}): string[] {
  const wanted = (path: string): boolean => isImageFile(path) || (options.pdf === true && isPdfFile(path));
  return args.flatMap((arg) => {
    const stats = statSync(arg, { throwIfNoEntry: false });
    if (stats?.isDirectory())
      return readdirSync(arg)
        .filter(wanted)
        .sort()
        .map((name) => join(arg, name));
    if (!stats && isDynamicPattern(arg)) {
      // Absolute patterns give absolute paths, relative ones paths relative to here: as the user wrote them.
      const matches = globSync(arg, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(arg) })
        .filter(wanted)
        .sort();
      return matches.length > 0 ? matches : [arg];
    }
    return [arg];
  });
}
