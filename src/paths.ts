import fs from 'node:fs';
import path from 'node:path';

function findProjectRoot(from: string): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** The checkout's root, found the same way whether the code runs from src/ or a compiled dist/. */
export const PROJECT_ROOT = findProjectRoot(__dirname);
export const projectPath = (...parts: string[]) => path.join(PROJECT_ROOT, ...parts);
