// Registers the bundled CJK faces, served by the core over `conclave:`.
// They sit after the system's CJK fonts in the font stack (app.css), so
// rare characters (Extension A/B: 䶮 𠮷 𪚥) never show as boxes.
import { convertFileSrc } from '@tauri-apps/api/core';

const FACES: Array<[family: string, file: string]> = [
  ['Conclave Han A', 'HanaMinA.ttf'],
  ['Conclave Han B', 'HanaMinB.ttf'],
];

export function registerFonts(): void {
  for (const [family, file] of FACES) {
    const url = convertFileSrc(`font/${file}`, 'conclave');
    document.fonts.add(new FontFace(family, `url("${url}")`, { display: 'swap' }));
  }
}
