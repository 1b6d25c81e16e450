#!/usr/bin/env node
/*
 * Dev-only reference recorder: runs yoastseo (the version pinned in package.json)
 * on French articles and prints what Yoast SEO would show for them.
 *
 *   node tools/yoast/record.cjs [--brief] < input.json > expected.json
 *
 * input.json: [{"id", "html", "keyword", "title" (the SEO title), "title_width",
 *               "description", "slug"}]   -- produced by tests/analysis/yoast_input.py
 *               (from our Markdown, so both sides analyse the same HTML).
 * output: [{"id", "seo": {identifier: score}, "readability": {identifier: score},
 *           "seo_overall", "readability_overall", "flesch", "word_count", "debug": {...}}]
 * --brief: debug holds only the keyphrase count, its forms and the passive sentences
 *          (keeps the large generated fixtures small).
 */
const fs = require("fs");
const path = require("path");
const { Paper, SeoAssessor, ContentAssessor } = require("yoastseo");
const FrenchResearcher = require("yoastseo/build/languageProcessing/languages/fr/Researcher").default;
const { ReadabilityScoreAggregator, SEOScoreAggregator } = require("yoastseo/build/scoring/scoreAggregators");

// The checks our Python port implements (Yoast's link/image/H1 checks need a CMS page).
const SEO_IDS = ["introductionKeyword", "keyphraseLength", "keyphraseDensity", "metaDescriptionKeyword",
  "metaDescriptionLength", "subheadingsKeyword", "textLength", "keyphraseInSEOTitle", "titleWidth", "slugKeyword"];

const BRIEF = process.argv.includes("--brief");
const input = JSON.parse(fs.readFileSync(0, "utf8"));
const out = [];
for (const a of input) {
  const paper = new Paper(a.html, {
    keyword: a.keyword || "", description: a.description || "", title: a.title || "",
    titleWidth: a.title_width || 0, slug: a.slug || "", locale: "fr_FR",
  });
  const researcher = new FrenchResearcher(paper);
  const seo = new SeoAssessor(researcher);
  seo.assess(paper);
  const seoScores = {};
  const seoResults = [];
  for (const r of seo.getValidResults()) {
    if (SEO_IDS.includes(r._identifier)) { seoScores[r._identifier] = r.getScore(); seoResults.push(r); }
  }
  const content = new ContentAssessor(researcher, { locale: "fr_FR" });
  content.assess(paper);
  const readScores = {};
  for (const r of content.getValidResults()) readScores[r._identifier] = r.getScore();
  const agg = new ReadabilityScoreAggregator();
  agg.setLocale("fr_FR");
  const readOverall = agg.aggregate(content.results || content.getValidResults());
  const seoOverall = new SEOScoreAggregator().aggregate(seoResults);
  const flesch = researcher.getResearch("getFleschReadingScore");
  const wc = researcher.getResearch("wordCountInText");
  const dbg = {};
  try {
    const s = researcher.getResearch("countSentencesFromText");
    dbg.sentence_lengths = s.map(x => x.sentenceLength);
    const tw = researcher.getResearch("findTransitionWords");
    dbg.transition = [tw.transitionWordSentences, tw.totalSentences, tw.textLength];
    dbg.transition_sentences = tw.sentenceResults.map(x => x.sentence.text.trim());
    const pv = researcher.getResearch("getPassiveVoiceResult");
    dbg.passive = [pv.passives.length, pv.total, pv.passives];
    const kc = researcher.getResearch("getKeyphraseCount");
    const kd = researcher.getResearch("getKeyphraseDensity");
    dbg.keyphrase = [kc.count, kd.textLength, kc.keyphraseLength];
    dbg.paragraphs = researcher.getResearch("getParagraphLength").map(p => p.paragraphLength);
    dbg.subheading_texts = researcher.getResearch("getSubheadingTextLengths").map(p => p.countLength);
    dbg.beginnings = researcher.getResearch("getSentenceBeginnings").filter(b => b.count > 1).map(b => [b.word, b.count]);
    dbg.morphology = researcher.getResearch("morphology").keyphraseForms;
  } catch (e) { dbg.error = String(e); }
  if (BRIEF) for (const k of Object.keys(dbg)) if (!["keyphrase", "morphology", "passive", "error"].includes(k)) delete dbg[k];
  out.push({ id: a.id, seo: seoScores, readability: readScores, seo_overall: seoOverall,
    readability_overall: readOverall, flesch: flesch.score, word_count: wc.count, debug: dbg });
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
