#!/usr/bin/env node
/*
 * Dev-only: yoastseo's French syllable count of each word.
 *   node tools/yoast/syllables.cjs < words.json > counts.json     (["mot", ...] -> {"mot": n, ...})
 */
const fs = require("fs");
const { countSyllablesInWord } = require("yoastseo/build/languageProcessing/helpers/syllables/countSyllables");
const syllables = require("yoastseo/build/languageProcessing/languages/fr/config/syllables.json");
const out = {};
for (const w of JSON.parse(fs.readFileSync(0, "utf8"))) out[w] = countSyllablesInWord(w.toLocaleLowerCase(), syllables);
process.stdout.write(JSON.stringify(out, null, 0).replace(/,"/g, ',\n"') + "\n");
