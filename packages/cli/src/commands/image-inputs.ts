import { readdirSync, statSync } from 'node:fs';
import { extname, isAbsolute, join } from 'node:path';
import { globSync, isDynamicPattern } from 'tinyglobby';

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.webp', '.tif', '.tiff', '.bmp', '.gif', '.avif']);

export const isImageFile = (path: string): boolean => IMAGE_EXTENSIONS.has(extname(path).toLowerCase());

/**
 * The images named on the command line: files as given, a directory's image files (sorted, not recursive), a glob's
 * matches (sorted; quoted so the shell left it alone). A name that is none of these stays, so that its error is
 * reported with the other results.
 */
export function expandImageInputs(args: readonly string[]): string[] {
  return args.flatMap((arg) => {
    const stats = statSync(arg, { throwIfNoEntry: false });
    if (stats?.isDirectory())
      return readdirSync(arg)
        .filter(isImageFile)
        .sort()
        .map((name) => join(arg, name));
    if (!stats && isDynamicPattern(arg)) {
      // Absolute patterns give absolute paths, relative ones paths relative to here: as the user wrote them.
      const matches = globSync(arg, { onlyFiles: true, expandDirectories: false, absolute: isAbsolute(arg) })
        .filter(isImageFile)
        .sort();
      return matches.length > 0 ? matches : [arg];
    }
    return [arg];
  });
}
