// The site (Astro + Starlight) arrives with its own issue; until then this keeps
// the layout the product card fixes: srcDir is site/, lessons live in lessons/.
export default {
  srcDir: './site',
  outDir: './dist',
};
